using SleapPS.Engine.Data;

namespace SleapPS.Engine.Trajectories;

/// <summary>Orders the change rows as the labels order their parts: by video, then track (untracked last), then node.</summary>
internal static class ChangeOrder
{
    public static List<TrajectoryChange> Sorted(Labels labels, Dictionary<(Video Video, Track? Track, Skeleton Skeleton, int Node), ChangeCounts> counts,
        TrajectoryOperation operation)
    {
        var videoOrder = labels.Videos.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        var trackOrder = labels.Tracks.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        return counts
            .OrderBy(c => videoOrder.GetValueOrDefault(c.Key.Video, int.MaxValue))
            .ThenBy(c => c.Key.Track is null ? int.MaxValue : trackOrder.GetValueOrDefault(c.Key.Track, int.MaxValue - 1))
            .ThenBy(c => c.Key.Node)
            .Select(c => c.Value.ToChange(operation, c.Key.Video.Filename, c.Key.Track?.Name, c.Key.Skeleton.Nodes[c.Key.Node].Name))
            .ToList();
    }
}
