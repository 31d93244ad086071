using SleapPS.Engine.Data;

namespace SleapPS.Engine.Editing.Merging;

/// <summary>Combines the instances of a frame both labels have, by the merge's frame strategy (docs/design/labels-operations.md §2.4).</summary>
internal static class FrameMerging
{
    public static void Combine(LabeledFrame existing, List<Instance> incoming, MergeOptions options, MergeReport report)
    {
        switch (options.FrameStrategy)
        {
            case FrameMergeStrategy.KeepOriginal:
                report.InstancesSkipped += incoming.Count;
                break;
            case FrameMergeStrategy.KeepNew:
                report.InstancesReplaced += existing.Instances.Count;
                report.InstancesAdded += incoming.Count;
                existing.Instances.Clear();
                existing.Instances.AddRange(incoming);
                break;
            case FrameMergeStrategy.KeepBoth:
                report.InstancesAdded += incoming.Count;
                existing.Instances.AddRange(incoming);
                break;
            case FrameMergeStrategy.ReplacePredictions:
                int predictions = existing.Instances.Count(i => i.IsPredicted);
                LabelsSubset.RemoveInstances(existing, i => i.IsPredicted);
                report.InstancesReplaced += predictions;
                foreach (var instance in incoming)
                {
                    if (!instance.IsPredicted) { report.InstancesSkipped++; continue; }
                    instance.FromPredicted = null;
                    existing.Instances.Add(instance);
                    report.InstancesAdded++;
                }
                break;
            default:
                CombineByPose(existing, incoming, options.PoseTolerance, report);
                break;
        }
    }

    /// <summary>
    /// sleap-io's default: each incoming instance is paired with the first unpaired base instance of the same pose. A base
    /// user instance stays (an incoming user instance of the same animal is a conflict); a base prediction is replaced by
    /// the incoming instance, user or predicted; an incoming instance with no pair is added.
    /// </summary>
    private static void CombineByPose(LabeledFrame existing, List<Instance> incoming, double tolerance, MergeReport report)
    {
        var baseInstances = existing.Instances.ToList();
        var paired = new bool[baseInstances.Count];
        var replaced = new List<Instance>();
        foreach (var instance in incoming)
        {
            int match = -1;
            for (int j = 0; j < baseInstances.Count && match < 0; j++)
                if (!paired[j] && SamePose(baseInstances[j], instance, tolerance)) match = j;
            if (match < 0)
            {
                instance.FromPredicted = instance.FromPredicted is { } from && existing.Instances.Contains(from) ? from : null;
                existing.Instances.Add(instance);
                report.InstancesAdded++;
                continue;
            }
            paired[match] = true;
            var original = baseInstances[match];
            if (!original.IsPredicted)
            {
                if (!instance.IsPredicted) report.Conflicts.Add(new MergeConflict(existing.Video, existing.FrameIndex, original, instance));
                report.InstancesSkipped++;
                continue;
            }
            instance.FromPredicted = null;
            existing.Instances[existing.Instances.IndexOf(original)] = instance;
            replaced.Add(original);
            report.InstancesReplaced++;
        }
        // A base correction no longer points at a prediction that was replaced.
        if (replaced.Count > 0)
            foreach (var instance in existing.Instances)
                if (instance.FromPredicted is { } from && replaced.Contains(from)) instance.FromPredicted = null;
    }

    /// <summary>
    /// The same animal in the same pose: the same nodes are visible in both, and each visible node lies within
    /// <paramref name="tolerance"/> pixels of the other's (sleap-io's <c>same_pose_as</c>).
    /// </summary>
    internal static bool SamePose(Instance a, Instance b, double tolerance)
    {
        if (a.Points.Length != b.Points.Length) return false;
        double limit = tolerance * tolerance;
        for (int n = 0; n < a.Points.Length; n++)
        {
            Point p = a.Points[n], q = b.Points[n];
            if (p.IsPresent != q.IsPresent) return false;
            if (!p.IsPresent) continue;
            double dx = p.X - q.X, dy = p.Y - q.Y;
            if (dx * dx + dy * dy > limit) return false;
        }
        return true;
    }
}
