using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.TopDown;

namespace SleapPS.Engine.Inference.SleapNn;

/// <summary>
/// sleap-nn's centroids from ground-truth instances, for a centered-instance model without a centroid model
/// (docs/design/sleap-nn-inference.md §6): the anchor node when it is set and visible, else the mean of the instance's
/// visible points per axis; an instance with no visible point gives no centroid. Value 1. Coordinates are multiplied by
/// the size matcher's factor, since crops are cut from the size-matched frame.
/// </summary>
internal static class SleapNnGroundTruthCentroids
{
    public static void Add(IReadOnlyList<Instance> instances, string? anchorPart, int frame, float sizeScale, CentroidList centroids)
    {
        for (int i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            float x = float.NaN, y = float.NaN;
            int anchor = anchorPart is null ? -1 : instance.Skeleton.IndexOf(anchorPart);
            if (anchor >= 0)
                (x, y) = Coordinates(instance.Points[anchor]);
            if (float.IsNaN(x) || float.IsNaN(y))
                (x, y) = VisibleMean(instance);
            if (float.IsNaN(x) || float.IsNaN(y))
                continue;
            centroids.Add(frame, x * sizeScale, y * sizeScale, 1f);
        }
    }

    private static (float X, float Y) VisibleMean(Instance instance)
    {
        float sumX = 0, sumY = 0;
        int countX = 0, countY = 0;
        foreach (var point in instance.Points)
        {
            var (x, y) = Coordinates(point);
            if (!float.IsNaN(x)) { sumX += x; countX++; }
            if (!float.IsNaN(y)) { sumY += y; countY++; }
        }
        return (countX == 0 ? float.NaN : sumX / countX, countY == 0 ? float.NaN : sumY / countY);
    }

    private static (float X, float Y) Coordinates(in Point point) =>
        point.Visible ? ((float)point.X, (float)point.Y) : (float.NaN, float.NaN);
}
