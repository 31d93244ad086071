using SleapPS.Engine.Data;

namespace SleapPS.Engine.Trajectories;

/// <summary>
/// One track on one video over the frames from its first instance to its last: the time axis of its trajectories
/// (docs/design/trajectories.md §2). Slot <c>f - FirstFrame</c> holds the track's instance on frame f, or null.
/// </summary>
internal sealed class TrackSpan(Video video, Track track, Skeleton skeleton, long firstFrame, Instance?[] instances)
{
    public Video Video { get; } = video;
    public Track Track { get; } = track;
    public Skeleton Skeleton { get; } = skeleton;
    public long FirstFrame { get; } = firstFrame;
    public Instance?[] Instances { get; } = instances;
    public int Length => Instances.Length;

    /// <summary>Writes the node's coordinates into x and y, NaN where the point is missing; returns how many are present.</summary>
    public int ReadNode(int node, double[] x, double[] y)
    {
        int present = 0;
        for (int i = 0; i < Instances.Length; i++)
        {
            if (Instances[i] is { } instance && instance.Points[node] is { IsPresent: true } point)
            {
                x[i] = point.X;
                y[i] = point.Y;
                present++;
            }
            else
            {
                x[i] = double.NaN;
                y[i] = double.NaN;
            }
        }
        return present;
    }

    /// <summary>
    /// The spans of the tracked instances of the labels, ordered by video and by the labels' track order. On a frame
    /// with several instances of one track, a user instance wins over predictions, else the first one counts; the
    /// others are left as they are (§2).
    /// </summary>
    public static List<TrackSpan> Of(Labels labels, TrajectorySelection selection)
    {
        var members = new Dictionary<(Video Video, Track Track), List<(long Frame, Instance Instance)>>();
        foreach (var frame in labels.LabeledFrames)
        {
            foreach (var instance in frame.Instances)
            {
                if (instance.Track is not { } track || !selection.Includes(track)) continue;
                if (!members.TryGetValue((frame.Video, track), out var list))
                    members[(frame.Video, track)] = list = new List<(long, Instance)>();
                list.Add((frame.FrameIndex, instance));
            }
        }
        var spans = new List<TrackSpan>(members.Count);
        foreach (var ((video, track), list) in members)
        {
            long first = list.Min(m => m.Frame), last = list.Max(m => m.Frame);
            if (last - first >= int.MaxValue)
                throw new SleapException(SleapErrorKind.NotSupported,
                    $"Track '{track.Name}' spans {last - first + 1} frames of '{video.Filename}', more than a trajectory can hold.");
            var skeleton = list[0].Instance.Skeleton;
            var instances = new Instance?[last - first + 1];
            foreach (var (frame, instance) in list)
            {
                if (!ReferenceEquals(instance.Skeleton, skeleton))
                    throw new SleapException(SleapErrorKind.NotSupported,
                        $"Track '{track.Name}' in '{video.Filename}' has instances of two skeletons ('{skeleton.Name}' and '{instance.Skeleton.Name}'); a trajectory follows one skeleton's nodes.");
                ref var slot = ref instances[frame - first];
                if (slot is null || (slot.IsPredicted && !instance.IsPredicted)) slot = instance;
            }
            spans.Add(new TrackSpan(video, track, skeleton, first, instances));
        }
        var videoOrder = labels.Videos.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        var trackOrder = labels.Tracks.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        return spans
            .OrderBy(s => videoOrder.GetValueOrDefault(s.Video, int.MaxValue))
            .ThenBy(s => trackOrder.GetValueOrDefault(s.Track, int.MaxValue))
            .ThenBy(s => s.Track.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The spans, or an error when there are none: <paramref name="work"/> follows tracks, so untracked labels are a mistake to say.</summary>
    public static List<TrackSpan> OfTracked(Labels labels, TrajectorySelection selection, string work)
    {
        var spans = Of(labels, selection);
        if (spans.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The labels have no tracked instances{(selection.Tracks is { Count: > 0 } ? " in the tracks selected" : "")} to {work}: trajectories follow tracks. Track them first (Start-SleapTracker).");
        return spans;
    }
}
