using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Engine.Trajectories;

/// <summary>
/// Median or Savitzky-Golay smoothing per track and node (docs/design/trajectories.md §5). Each unbroken run of
/// present points is smoothed as a signal of its own, with the filter's edge rule at both of its ends, so a gap
/// neither spreads (as NaN does through movement's filters) nor gets bridged. Runs shorter than the window are left
/// as they are (their points are counted as skipped). User-labelled points enter the windows but are never moved.
/// Smoothed points keep their score: they are still the model's detections, moved.
/// </summary>
internal static class TrajectorySmoothing
{
    public static TrajectoryResult Apply(Labels source, SmoothingOptions options, TrajectorySelection selection, CancellationToken cancellation)
    {
        options.Check();
        selection.Check(source);
        var labels = LabelsCopy.SharingVideosSkeletonsAndTracks(source);
        var spans = TrackSpan.OfTracked(labels, selection, "smooth");
        CheckWindowFits(spans, options.Window);
        Action<double[], int, int, double[]> filter = options.Method == SmoothingMethod.Median
            ? new MedianFilter(options.Window).Apply
            : new SavitzkyGolayFilter(options.Window, options.PolyOrder).Apply;
        var operation = options.Method == SmoothingMethod.Median ? TrajectoryOperation.Median : TrajectoryOperation.SavitzkyGolay;
        var counts = new Dictionary<(Video, Track?, Skeleton, int), ChangeCounts>();
        int longest = spans.Max(s => s.Length);
        double[] x = new double[longest], y = new double[longest], smoothX = new double[longest], smoothY = new double[longest];
        foreach (var span in spans)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (int node in selection.NodeIndicesOf(span.Skeleton))
            {
                var count = counts[(span.Video, span.Track, span.Skeleton, node)] = new ChangeCounts();
                count.PointsBefore = span.ReadNode(node, x, y);
                for (int start = 0; start < span.Length;)
                {
                    if (double.IsNaN(x[start])) { start++; continue; }
                    int end = start;
                    while (end < span.Length && !double.IsNaN(x[end])) end++;
                    int length = end - start;
                    if (length < options.Window)
                    {
                        count.SkippedPoints += length;
                    }
                    else
                    {
                        filter(x, start, length, smoothX);
                        filter(y, start, length, smoothY);
                        count.Smoothed += WriteBack(span, node, start, end, smoothX, smoothY);
                    }
                    start = end;
                }
            }
        }
        var changes = ChangeOrder.Sorted(labels, counts, operation);
        var parameters = options.Method == SmoothingMethod.Median
            ? new (string, object?)[] { ("window", options.Window), ("statistic", "median") }
            : [("window", options.Window), ("polyorder", options.PolyOrder), ("mode", "interp")];
        CleaningRecord.Add(labels, operation, changes, parameters);
        return new TrajectoryResult(labels, changes);
    }

    /// <summary>Moves the predicted points of the run to their smoothed places; returns how many it moved.</summary>
    private static int WriteBack(TrackSpan span, int node, int start, int end, double[] smoothX, double[] smoothY)
    {
        int written = 0;
        for (int i = start; i < end; i++)
        {
            if (span.Instances[i] is not PredictedInstance instance) continue;
            instance.Points[node] = instance.Points[node] with { X = smoothX[i], Y = smoothY[i] };
            written++;
        }
        return written;
    }

    /// <summary>A window longer than every track can smooth nothing: that is a mistake to say, not a no-op to return.</summary>
    private static void CheckWindowFits(List<TrackSpan> spans, int window)
    {
        var longest = spans.MaxBy(s => s.Length)!;
        if (window <= longest.Length) return;
        int fits = longest.Length % 2 == 1 ? longest.Length : longest.Length - 1;
        throw new SleapException(SleapErrorKind.InvalidArgument,
            $"The smoothing window of {window} frames is longer than every track: the longest, '{longest.Track.Name}' in '{longest.Video.Filename}', spans {longest.Length} frames."
            + (fits >= 3 ? $" Use a window of at most {fits} frames." : " These tracks are too short to smooth."));
    }
}
