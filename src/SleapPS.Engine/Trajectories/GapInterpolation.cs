using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Engine.Trajectories;

/// <summary>
/// Fills gaps of up to a number of frames by linear interpolation in frame index, per track and node, as movement's
/// interpolate_over_time with max_gap (docs/design/trajectories.md §4). A gap is a run of consecutive frames of the
/// track's span on which the node is missing, between two frames on which it is present; max_gap counts those
/// missing frames. Longer gaps are left whole, the ends of a span are never extrapolated, and a gap that holds a
/// user-labelled instance missing the node is left (a person labelled that frame). Filled points have score 0 and
/// are not complete: no detection stands behind them. A frame on which the track had no instance gets a new
/// predicted instance of the track with score 0.
/// </summary>
internal static class GapInterpolation
{
    public static TrajectoryResult Apply(Labels source, int maxGap, TrajectorySelection selection, CancellationToken cancellation)
    {
        if (maxGap < 1)
            throw new SleapException(SleapErrorKind.InvalidArgument, $"The largest gap to fill is {maxGap} frames; give 1 or more.");
        selection.Check(source);
        var labels = LabelsCopy.SharingVideosSkeletonsAndTracks(source);
        var spans = TrackSpan.OfTracked(labels, selection, "fill");
        var frames = new FrameFinder(labels);
        var counts = new Dictionary<(Video, Track?, Skeleton, int), ChangeCounts>();
        double[] x = [], y = [];
        foreach (var span in spans)
        {
            cancellation.ThrowIfCancellationRequested();
            Grow(ref x, ref y, span.Length);
            foreach (int node in selection.NodeIndicesOf(span.Skeleton))
            {
                var count = counts[(span.Video, span.Track, span.Skeleton, node)] = new ChangeCounts();
                count.PointsBefore = span.ReadNode(node, x, y);
                FillNode(span, node, x, y, maxGap, count, frames);
            }
        }
        frames.SortIfAdded();
        var changes = ChangeOrder.Sorted(labels, counts, TrajectoryOperation.Interpolate);
        CleaningRecord.Add(labels, TrajectoryOperation.Interpolate, changes, ("method", "linear"), ("max_gap", maxGap));
        return new TrajectoryResult(labels, changes);
    }

    private static void FillNode(TrackSpan span, int node, double[] x, double[] y, int maxGap, ChangeCounts count, FrameFinder frames)
    {
        int before = -1;
        for (int i = 0; i < span.Length; i++)
        {
            if (double.IsNaN(x[i])) continue;
            int gap = i - before - 1;
            if (before >= 0 && gap > 0)
            {
                if (gap <= maxGap && !HoldsUserInstance(span, before + 1, i))
                {
                    for (int k = before + 1; k < i; k++)
                    {
                        // Straight line from the last point before the gap to the first after, in frame index.
                        double t = (double)(k - before) / (i - before);
                        var point = new Point(x[before] + t * (x[i] - x[before]), y[before] + t * (y[i] - y[before]), Visible: true, Complete: false, Score: 0.0);
                        InstanceAt(span, k, frames).Points[node] = point;
                    }
                    count.Filled += gap;
                    count.GapsFilled++;
                }
                else
                {
                    count.GapsLeft++;
                }
            }
            before = i;
        }
    }

    private static bool HoldsUserInstance(TrackSpan span, int from, int to)
    {
        for (int k = from; k < to; k++)
            if (span.Instances[k] is { IsPredicted: false }) return true;
        return false;
    }

    /// <summary>The track's instance on the span's frame k, made (score 0, every point missing) when it has none.</summary>
    private static Instance InstanceAt(TrackSpan span, int k, FrameFinder frames)
    {
        if (span.Instances[k] is { } instance) return instance;
        var made = new PredictedInstance(span.Skeleton, score: 0.0, track: span.Track);
        frames.Get(span.Video, span.FirstFrame + k).Instances.Add(made);
        return span.Instances[k] = made;
    }

    private static void Grow(ref double[] x, ref double[] y, int length)
    {
        if (x.Length >= length) return;
        x = new double[length];
        y = new double[length];
    }

    /// <summary>The labelled frame of a video and frame index, made (and later put in frame order) when the labels lack it.</summary>
    private sealed class FrameFinder(Labels labels)
    {
        private Dictionary<(Video, long), LabeledFrame>? _index;
        private bool _added;

        public LabeledFrame Get(Video video, long frameIndex)
        {
            _index ??= labels.LabeledFrames.GroupBy(f => (f.Video, f.FrameIndex)).ToDictionary(g => g.Key, g => g.First());
            if (_index.TryGetValue((video, frameIndex), out var frame)) return frame;
            frame = new LabeledFrame(video, frameIndex);
            labels.LabeledFrames.Add(frame);
            _index[(video, frameIndex)] = frame;
            _added = true;
            return frame;
        }

        /// <summary>New frames were appended; a stable sort by video and frame index puts them in place.</summary>
        public void SortIfAdded()
        {
            if (!_added) return;
            var videoOrder = labels.Videos.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
            var sorted = labels.LabeledFrames.OrderBy(f => videoOrder.GetValueOrDefault(f.Video, int.MaxValue)).ThenBy(f => f.FrameIndex).ToList();
            labels.LabeledFrames.Clear();
            labels.LabeledFrames.AddRange(sorted);
        }
    }
}
