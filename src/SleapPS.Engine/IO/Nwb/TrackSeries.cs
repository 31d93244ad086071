using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO.Nwb;

/// <summary>One track's instances on one video, one per frame, as an NWB PoseEstimation holds them.</summary>
internal sealed class TrackSeries
{
    private readonly List<(long Frame, Instance Instance)> _rows = [];

    private TrackSeries(Track? track, Skeleton skeleton)
    {
        Track = track;
        Skeleton = skeleton;
    }

    public Track? Track { get; }
    public Skeleton Skeleton { get; }

    /// <summary>The instances of <paramref name="frames"/> grouped by track, tracks in order of first appearance.</summary>
    /// <exception cref="SleapException">Two instances share a track (or are both untracked) on one frame, or a track mixes skeletons.</exception>
    public static List<TrackSeries> Collect(IEnumerable<LabeledFrame> frames, string path)
    {
        var byTrack = new Dictionary<object, TrackSeries>();
        var untrackedKey = new object();
        foreach (var frame in frames)
        {
            foreach (var instance in frame.Instances)
            {
                object key = (object?)instance.Track ?? untrackedKey;
                if (!byTrack.TryGetValue(key, out var series))
                    byTrack[key] = series = new TrackSeries(instance.Track, instance.Skeleton);
                if (!ReferenceEquals(series.Skeleton, instance.Skeleton))
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"Cannot export '{path}': track '{instance.Track?.Name ?? "untracked"}' holds instances of two skeletons ('{series.Skeleton.Name}' and '{instance.Skeleton.Name}'); an NWB PoseEstimation has one.", path);
                if (series._rows.Count > 0 && series._rows[^1].Frame == frame.FrameIndex)
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"Cannot export '{path}': frame {frame.FrameIndex} of '{frame.Video.Filename}' has several instances " +
                        (instance.Track is null ? "without a track" : $"on track '{instance.Track.Name}'") +
                        ", but an NWB PoseEstimation holds one animal per track and frame. Track the labels first (Start-SleapTracker), or remove the extra instances.", path);
                series._rows.Add((frame.FrameIndex, instance));
            }
        }
        foreach (var series in byTrack.Values)
            series._rows.Sort((a, b) => a.Frame.CompareTo(b.Frame));
        return byTrack.Values.ToList();
    }

    /// <summary>Node <paramref name="n"/> on the frames where it has coordinates: frame indices, (x, y) row-major, scores.</summary>
    public (long[] Frames, double[] Xy, double[] Confidence) Node(int n)
    {
        var present = _rows.Where(r => !double.IsNaN(r.Instance.Points[n].X) && !double.IsNaN(r.Instance.Points[n].Y)).ToList();
        var frames = new long[present.Count];
        var xy = new double[present.Count * 2];
        var confidence = new double[present.Count];
        for (int i = 0; i < present.Count; i++)
        {
            var point = present[i].Instance.Points[n];
            frames[i] = present[i].Frame;
            xy[2 * i] = point.X;
            xy[2 * i + 1] = point.Y;
            confidence[i] = point.Score;
        }
        return (frames, xy, confidence);
    }
}
