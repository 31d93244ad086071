using OpenCvSharp;

namespace SleapPS.Engine.Tracking;

/// <summary>
/// The prepared (grayscale, scaled) images that the tracker's queues still refer to. Each frame's
/// image is prepared once; images no queue refers to any more are released, so memory stays at
/// about one image per frame of the window.
/// </summary>
internal sealed class FlowImages : IDisposable
{
    private readonly List<Mat> _alive = new();

    public Mat Add(Mat image)
    {
        _alive.Add(image);
        return image;
    }

    /// <summary>Disposes every image not in <paramref name="referenced"/>.</summary>
    public void ReleaseAllBut(IEnumerable<Mat?> referenced)
    {
        var keep = new HashSet<Mat>(referenced.OfType<Mat>(), ReferenceEqualityComparer.Instance);
        _alive.RemoveAll(image =>
        {
            if (keep.Contains(image)) return false;
            image.Dispose();
            return true;
        });
    }

    public void Dispose() => ReleaseAllBut([]);
}
