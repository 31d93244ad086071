using SleapPS.Engine.Data;

namespace SleapPS.Engine.Trajectories;

/// <summary>
/// Velocities, speeds and distances travelled per track, of nodes or of the centroid (docs/design/trajectories.md §7).
/// Each unbroken run of points is differentiated on its own, as numpy's gradient does a whole array (central
/// differences inside, one-sided at the two ends, nothing for a run of one point); steps are never taken across a
/// gap, so fill gaps first to count the distance over them.
/// </summary>
public static class Kinematics
{
    public const string CentroidName = "centroid";

    /// <summary>One row per track, node (or centroid) and frame with a point. Bad options fail here, before any row.</summary>
    public static IEnumerable<KinematicsRow> Rows(Labels labels, KinematicsOptions options, CancellationToken cancellation = default)
    {
        var series = Prepare(labels, options);
        return RowsOf(series, cancellation);
    }

    /// <summary>One summary per track and node (or centroid): distance travelled, mean and largest speed.</summary>
    public static IEnumerable<TrackKinematics> Summaries(Labels labels, KinematicsOptions options, CancellationToken cancellation = default)
    {
        var series = Prepare(labels, options);
        return SummariesOf(series, cancellation);
    }

    private static IEnumerable<TrackKinematics> SummariesOf(List<Series> series, CancellationToken cancellation)
    {
        foreach (var one in series)
        {
            long first = 0, last = 0;
            int frames = 0, speeds = 0;
            double distance = 0, speedSum = 0, maxSpeed = double.NaN;
            foreach (var row in RowsOf([one], cancellation))
            {
                if (frames++ == 0) first = row.Frame;
                last = row.Frame;
                distance += row.Distance;
                if (double.IsNaN(row.Speed)) continue;
                speeds++;
                speedSum += row.Speed;
                if (!(row.Speed <= maxSpeed)) maxSpeed = row.Speed;
            }
            if (frames == 0) continue;
            yield return new TrackKinematics(one.Span.Video.Filename, one.Span.Track.Name, one.Name, first, last, frames, distance,
                speeds > 0 ? speedSum / speeds : double.NaN, maxSpeed, one.FrameRate);
        }
    }

    /// <summary>One trajectory: a span and the nodes whose (mean) position it follows.</summary>
    private sealed record Series(TrackSpan Span, string Name, int[] Nodes, double FrameRate);

    private static List<Series> Prepare(Labels labels, KinematicsOptions options)
    {
        if (options.FrameRate is { } given && !(double.IsFinite(given) && given > 0))
            throw new SleapException(SleapErrorKind.InvalidArgument, $"The frame rate is {given}; give a positive number of frames per second.");
        var selection = new TrajectorySelection { Nodes = options.Nodes, Tracks = options.Tracks };
        selection.Check(labels);
        var spans = TrackSpan.OfTracked(labels, selection, "measure");
        var series = new List<Series>();
        foreach (var span in spans)
        {
            double frameRate = options.FrameRate ?? span.Video.Fps
                ?? throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"The frame rate of video '{span.Video.Filename}' is not known: the labels file does not store it and the video file "
                    + $"{(span.Video.IsAvailable ? "does not say" : "was not found")}. Give the frame rate (-FrameRate) to have speeds per second.",
                    span.Video.Filename);
            int[] nodes = selection.NodeIndicesOf(span.Skeleton);
            if (options.Nodes is not { Count: > 0 } || options.Centroid)
                series.Add(new Series(span, CentroidName, nodes, frameRate));
            else
                foreach (int node in nodes) series.Add(new Series(span, span.Skeleton.Nodes[node].Name, [node], frameRate));
        }
        return series;
    }

    private static IEnumerable<KinematicsRow> RowsOf(List<Series> series, CancellationToken cancellation)
    {
        double[] x = [], y = [];
        foreach (var one in series)
        {
            cancellation.ThrowIfCancellationRequested();
            var span = one.Span;
            if (x.Length < span.Length) { x = new double[span.Length]; y = new double[span.Length]; }
            Position(one, x, y);
            double cumulative = 0;
            for (int i = 0; i < span.Length; i++)
            {
                if (double.IsNaN(x[i])) continue;
                bool hasPrevious = i > 0 && !double.IsNaN(x[i - 1]);
                bool hasNext = i + 1 < span.Length && !double.IsNaN(x[i + 1]);
                // numpy.gradient on the run: central inside, one-sided at its ends, undefined for a lone point.
                (double vx, double vy) = (hasPrevious, hasNext) switch
                {
                    (true, true) => ((x[i + 1] - x[i - 1]) / 2, (y[i + 1] - y[i - 1]) / 2),
                    (false, true) => (x[i + 1] - x[i], y[i + 1] - y[i]),
                    (true, false) => (x[i] - x[i - 1], y[i] - y[i - 1]),
                    _ => (double.NaN, double.NaN),
                };
                double step = hasPrevious ? Math.Sqrt((x[i] - x[i - 1]) * (x[i] - x[i - 1]) + (y[i] - y[i - 1]) * (y[i] - y[i - 1])) : 0;
                cumulative += step;
                yield return new KinematicsRow(span.Video.Filename, span.Track.Name, one.Name, span.FirstFrame + i, x[i], y[i],
                    vx, vy, Math.Sqrt(vx * vx + vy * vy), step, cumulative, one.FrameRate);
            }
        }
    }

    /// <summary>The position on each frame of the span: the node's point, or the mean of the present points of the nodes; NaN when none.</summary>
    private static void Position(Series series, double[] x, double[] y)
    {
        var instances = series.Span.Instances;
        for (int i = 0; i < instances.Length; i++)
        {
            double sumX = 0, sumY = 0;
            int present = 0;
            if (instances[i] is { } instance)
            {
                foreach (int node in series.Nodes)
                {
                    var point = instance.Points[node];
                    if (!point.IsPresent) continue;
                    sumX += point.X;
                    sumY += point.Y;
                    present++;
                }
            }
            x[i] = present > 0 ? sumX / present : double.NaN;
            y[i] = present > 0 ? sumY / present : double.NaN;
        }
    }
}
