using SleapPS.Engine.Data;

namespace SleapPS.Engine.Tracking;

/// <summary>
/// SLEAP's culling of surplus instances: non-maximum suppression of overlapping boxes, then the
/// lowest-scoring instances beyond the target count.
/// </summary>
public static class Culling
{
    /// <summary>
    /// SLEAP's <c>nms_fast</c>: indices of the boxes kept, highest score first. Overlap is the
    /// intersection divided by the area of the lower-scoring box (not IoU), with the +1 pixel
    /// convention. With a <paramref name="targetCount"/>, suppressed boxes are added back when too
    /// few were kept (SLEAP's count arithmetic included).
    /// </summary>
    public static List<int> NonMaximumSuppression(IReadOnlyList<(double X1, double Y1, double X2, double Y2)> boxes,
        IReadOnlyList<double> scores, double iouThreshold, int? targetCount = null) =>
        Nms(boxes.Select(b => new BoundingBox(b.X1, b.Y1, b.X2, b.Y2)).ToList(), scores, iouThreshold, targetCount);

    internal static List<int> Nms(IReadOnlyList<BoundingBox> boxes, IReadOnlyList<double> scores, double iouThreshold, int? targetCount)
    {
        if (boxes.Count == 0) return [];
        if (targetCount is > 0 && boxes.Count < targetCount) return Enumerable.Range(0, boxes.Count).ToList();

        var picked = new List<int>();
        var suppressed = new List<int>();
        var order = NumpyArgsort.Argsort(scores.ToArray()).ToList();
        while (order.Count > 0)
        {
            int pick = order[^1];
            picked.Add(pick);
            var kept = new List<int>(order.Count);
            for (int k = 0; k < order.Count - 1; k++)
            {
                var box = boxes[order[k]];
                double overlap = boxes[pick].Intersection(box) / box.Area;
                if (overlap > iouThreshold) suppressed.Add(order[k]);
                else kept.Add(order[k]);
            }
            order = kept;
        }
        if (targetCount is > 0 && suppressed.Count > 0 && picked.Count < targetCount)
        {
            var byScore = suppressed.OrderBy(i => -scores[i]).ToList();
            // min(#suppressed, #picked - target) is negative here; Python's slice [:n] then keeps all but the last |n|.
            int addBack = Math.Min(byScore.Count, picked.Count - targetCount.Value);
            int take = addBack >= 0 ? addBack : Math.Max(byScore.Count + addBack, 0);
            picked.AddRange(byScore.Take(take));
        }
        return picked;
    }

    /// <summary>
    /// SLEAP's <c>cull_frame_instances</c>: removes instances from <paramref name="instances"/> until
    /// at most <paramref name="count"/> remain: first those suppressed by NMS (when a threshold is
    /// given), then the lowest-scoring.
    /// </summary>
    public static void CullFrameInstances(List<Instance> instances, int count, double? iouThreshold)
    {
        var poses = instances.Select(i => Pose.Of(i)).ToList();
        CullPoses(poses, count, iouThreshold);
        var keep = poses.Select(p => p.Instance!).ToHashSet(ReferenceEqualityComparer.Instance);
        instances.RemoveAll(i => !keep.Contains(i));
    }

    /// <summary>
    /// SLEAP's <c>cull_instances</c> (the deprecated cleaner): sorts the frames by frame index and culls
    /// each frame's predicted instances to <paramref name="count"/>.
    /// </summary>
    public static void CullInstances(List<LabeledFrame> frames, int count, double? iouThreshold)
    {
        SortByFrameIndex(frames);
        foreach (var frame in frames)
        {
            var predicted = frame.Instances.Where(i => i.IsPredicted).ToList();
            if (predicted.Count <= count) continue;
            CullFrameInstances(predicted, count, iouThreshold);
            var keep = predicted.ToHashSet(ReferenceEqualityComparer.Instance);
            frame.Instances.RemoveAll(i => i.IsPredicted && !keep.Contains(i));
        }
    }

    internal static void CullPoses(List<Pose> poses, int count, double? iouThreshold)
    {
        if (poses.Count <= count) return;
        var keep = poses;
        if (iouThreshold is double threshold && threshold != 0)
        {
            var picks = Nms(poses.Select(p => p.Box).ToList(), poses.Select(ScoreOf).ToList(), threshold, count).ToHashSet();
            keep = poses.Where((_, i) => picks.Contains(i)).ToList();
        }
        if (keep.Count > count)
        {
            // Python's stable sort by score; all but the `count` highest go.
            var lowest = keep.OrderBy(ScoreOf).Take(keep.Count - count).ToHashSet();
            keep = keep.Where(p => !lowest.Contains(p)).ToList();
        }
        var kept = keep.ToHashSet();
        poses.RemoveAll(p => !kept.Contains(p));
    }

    /// <summary>
    /// The instance score used for culling. User instances have none in SLEAP (culling them fails
    /// there); here they count as certain, so they are never culled in favour of a prediction.
    /// </summary>
    internal static double ScoreOf(Pose pose) =>
        pose.Instance is PredictedInstance predicted ? predicted.Score : double.PositiveInfinity;

    /// <summary>Python's stable sort by frame index.</summary>
    internal static void SortByFrameIndex(List<LabeledFrame> frames)
    {
        var sorted = frames.OrderBy(f => f.FrameIndex).ToList();
        frames.Clear();
        frames.AddRange(sorted);
    }
}
