using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Engine.Trajectories;

/// <summary>
/// Drops predicted points whose score is under a threshold, as movement's filter_by_confidence does
/// (docs/design/trajectories.md §3): such a point becomes missing, the way SLEAP writes a node it did not find.
/// Points with a NaN score and user-labelled points are kept. Tracked or not, every predicted instance is filtered.
/// </summary>
internal static class LowScoreFilter
{
    public static TrajectoryResult Apply(Labels source, double minScore, TrajectorySelection selection, CancellationToken cancellation)
    {
        if (double.IsNaN(minScore))
            throw new SleapException(SleapErrorKind.InvalidArgument, "The minimum score is NaN; give a number (points under it are removed).");
        selection.Check(source);
        var labels = LabelsCopy.SharingVideosSkeletonsAndTracks(source);
        var counts = new Dictionary<(Video, Track?, Skeleton, int), ChangeCounts>();
        // One lookup per instance, not per point: the counts of the nodes of one (video, track, skeleton), by node index.
        var countsOf = new Dictionary<(Video, Track?, Skeleton), ChangeCounts?[]>();
        var nodesOf = new Dictionary<Skeleton, int[]>();
        foreach (var frame in labels.LabeledFrames)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (var instance in frame.Instances)
            {
                if (instance is not PredictedInstance || !selection.Includes(instance.Track)) continue;
                if (!nodesOf.TryGetValue(instance.Skeleton, out var nodes))
                    nodesOf[instance.Skeleton] = nodes = selection.NodeIndicesOf(instance.Skeleton);
                if (!countsOf.TryGetValue((frame.Video, instance.Track, instance.Skeleton), out var nodeCounts))
                    countsOf[(frame.Video, instance.Track, instance.Skeleton)] = nodeCounts = new ChangeCounts?[instance.Skeleton.Nodes.Count];
                foreach (int node in nodes)
                {
                    var point = instance.Points[node];
                    if (!point.IsPresent) continue;
                    var count = nodeCounts[node] ??= counts[(frame.Video, instance.Track, instance.Skeleton, node)] = new ChangeCounts();
                    count.PointsBefore++;
                    // NaN < minScore is false: a point without a score is kept, as movement keeps it by default.
                    if (point.Score < minScore)
                    {
                        instance.Points[node] = Point.MissingPredicted;
                        count.Removed++;
                    }
                }
            }
        }
        var changes = ChangeOrder.Sorted(labels, counts, TrajectoryOperation.RemoveLowScore);
        CleaningRecord.Add(labels, TrajectoryOperation.RemoveLowScore, changes, ("threshold", minScore));
        return new TrajectoryResult(labels, changes);
    }
}
