using SleapPS.Engine.Data;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// The ground-truth stand-ins for a missing top-down stage (docs/design/inference.md §9.6), over a frame's user instances.
/// Points are float32 as SLEAP's LabelsReader provides them; invisible points count as missing (Instance.numpy()).
/// </summary>
internal static class GroundTruth
{
    /// <summary>The frame's user instances, or an error saying which stage needs them and what to do.</summary>
    public static IReadOnlyList<Instance> Require(FrameInput frame, string missingModel)
    {
        return frame.GroundTruth ?? throw new SleapException(SleapErrorKind.InvalidArgument,
            $"Frame {frame.FrameIndex} of '{frame.Video.Filename}' carries no ground-truth instances, but this predictor has no {missingModel} model: " +
            $"SLEAP stands in for it with the labelled instances of each frame. Predict on the labelled frames of a labels file, or add a {missingModel} model.",
            frame.Video.Filename);
    }

    /// <summary>
    /// SLEAP's InstanceCentroidFinder: the anchor node of each instance when <paramref name="anchorPart"/> is set,
    /// falling back per coordinate to the bounding-box midpoint where the anchor is missing; else the midpoint
    /// <c>(min + max) * 0.5</c> of the instance's present points. Value 1.
    /// </summary>
    public static void AddCentroids(IReadOnlyList<Instance> instances, string? anchorPart, int frame, CentroidList centroids)
    {
        // By index: foreach over the interface would box an enumerator for every frame.
        for (int i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var (mx, my) = BoundingBoxMidpoint(instance);
            float x = mx, y = my;
            if (anchorPart is not null)
            {
                int anchor = IndexOfNode(instance.Skeleton, anchorPart);
                if (anchor >= 0)
                {
                    var (ax, ay) = Coordinates(instance.Points[anchor]);
                    x = float.IsNaN(ax) ? mx : ax;
                    y = float.IsNaN(ay) ? my : ay;
                }
            }
            centroids.Add(frame, x, y, 1f);
        }
    }

    /// <summary>
    /// SLEAP's FindInstancePeaksGroundTruth for one centroid: the instance whose nearest node is closest to it
    /// (the first on ties), its points written in <paramref name="skeleton"/> node order into <paramref name="xy"/>.
    /// False when no instance has a present point.
    /// </summary>
    public static bool NearestInstance(IReadOnlyList<Instance> instances, float cx, float cy, Skeleton skeleton, Span<float> xy)
    {
        Instance? best = null;
        float bestDistance = float.PositiveInfinity;
        for (int i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            float distance = float.NaN;
            foreach (var point in instance.Points)
            {
                var (x, y) = Coordinates(point);
                float dx = x - cx, dy = y - cy;
                float d = MathF.Sqrt(dx * dx + dy * dy);
                if (!float.IsNaN(d) && !(d >= distance))
                    distance = d;
            }
            if (!float.IsNaN(distance) && (best is null || distance < bestDistance))
            {
                best = instance;
                bestDistance = distance;
            }
        }
        if (best is null)
            return false;

        for (int node = 0; node < skeleton.Nodes.Count; node++)
        {
            int source = IndexOfNode(best.Skeleton, skeleton.Nodes[node].Name);
            // A skeleton with other node names is read by position, as SLEAP does.
            if (source < 0 && best.Points.Length == skeleton.Nodes.Count)
                source = node;
            var (x, y) = source >= 0 ? Coordinates(best.Points[source]) : (float.NaN, float.NaN);
            xy[2 * node] = x;
            xy[2 * node + 1] = y;
        }
        return true;
    }

    private static (float X, float Y) BoundingBoxMidpoint(Instance instance)
    {
        float minX = float.PositiveInfinity, minY = float.PositiveInfinity, maxX = float.NegativeInfinity, maxY = float.NegativeInfinity;
        foreach (var point in instance.Points)
        {
            var (x, y) = Coordinates(point);
            if (!float.IsNaN(x))
            {
                minX = Math.Min(minX, x);
                maxX = Math.Max(maxX, x);
            }
            if (!float.IsNaN(y))
            {
                minY = Math.Min(minY, y);
                maxY = Math.Max(maxY, y);
            }
        }
        return ((maxX + minX) * 0.5f, (maxY + minY) * 0.5f);
    }

    private static (float X, float Y) Coordinates(in Point point) =>
        point.Visible ? ((float)point.X, (float)point.Y) : (float.NaN, float.NaN);

    private static int IndexOfNode(Skeleton skeleton, string name)
    {
        var nodes = skeleton.Nodes;
        for (int i = 0; i < nodes.Count; i++)
            if (nodes[i].Name == name)
                return i;
        return -1;
    }
}
