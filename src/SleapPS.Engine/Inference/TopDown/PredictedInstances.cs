using SleapPS.Engine.Data;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>SLEAP's <c>PredictedInstance.from_numpy</c>: how arrays of points and values become an instance.</summary>
internal static class PredictedInstances
{
    /// <summary>
    /// An instance with one point per skeleton node, taken by position from <paramref name="xy"/> (x, y interleaved,
    /// float32) and <paramref name="values"/>; a NaN node becomes SLEAP's default point (NaN, visible, not complete,
    /// score 0: its value is not kept, docs/design/inference.md §13). Null when every point is NaN: SLEAP makes no instance then.
    /// </summary>
    public static PredictedInstance? Create(Skeleton skeleton, ReadOnlySpan<float> xy, ReadOnlySpan<float> values, double score,
        Track? track = null, double trackingScore = 0.0)
    {
        int available = Math.Min(skeleton.Nodes.Count, values.Length);
        bool any = false;
        for (int node = 0; node < available && !any; node++)
            any = !float.IsNaN(xy[2 * node]) || !float.IsNaN(xy[2 * node + 1]);
        if (!any)
            return null;

        var points = new Point[skeleton.Nodes.Count];
        for (int node = 0; node < points.Length; node++)
        {
            bool missing = node >= available || float.IsNaN(xy[2 * node]) || float.IsNaN(xy[2 * node + 1]);
            points[node] = missing
                ? Point.MissingPredicted
                : new Point(xy[2 * node], xy[2 * node + 1], Visible: true, Complete: false, Score: values[node]);
        }
        return new PredictedInstance(skeleton, points, score, track, trackingScore);
    }
}
