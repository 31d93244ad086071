using SleapPS.Engine.Data;

namespace SleapPS.Engine.Tracking;

/// <summary>
/// An instance as the tracker compares it: coordinates with NaN for absent nodes (SLEAP's
/// <c>points_array</c>), point scores, and the track. A candidate moved by optical flow is a Pose
/// without an <see cref="Instance"/>.
/// </summary>
internal sealed class Pose
{
    private (double X, double Y)? _centroid;
    private BoundingBox? _box;

    public Pose(double[] xs, double[] ys, double[]? scores, Track? track, Instance? instance)
    {
        Xs = xs;
        Ys = ys;
        Scores = scores;
        Track = track;
        Instance = instance;
    }

    /// <summary>The instance's points; <paramref name="untracked"/> leaves the pose without a track (the tracker assigns one).</summary>
    public static Pose Of(Instance instance, bool untracked = false)
    {
        int count = instance.Points.Length;
        var xs = new double[count];
        var ys = new double[count];
        double[]? scores = instance.IsPredicted ? new double[count] : null;
        for (int n = 0; n < count; n++)
        {
            var point = instance.Points[n];
            bool present = point.IsPresent;
            xs[n] = present ? point.X : double.NaN;
            ys[n] = present ? point.Y : double.NaN;
            if (scores is not null) scores[n] = point.Score;
        }
        return new Pose(xs, ys, scores, untracked ? null : instance.Track, instance);
    }

    public double[] Xs { get; }
    public double[] Ys { get; }

    /// <summary>Point scores of a predicted instance; null for user instances and flow-shifted candidates (SLEAP uses 1).</summary>
    public double[]? Scores { get; }

    public Track? Track { get; set; }

    /// <summary>The labelled instance, or null for a flow-shifted candidate.</summary>
    public Instance? Instance { get; }

    public int NodeCount => Xs.Length;

    /// <summary>Nodes with both coordinates (SLEAP's visible nodes of <c>points_array</c>).</summary>
    public int PresentCount
    {
        get
        {
            int count = 0;
            for (int n = 0; n < Xs.Length; n++)
                if (!double.IsNaN(Xs[n]) && !double.IsNaN(Ys[n])) count++;
            return count;
        }
    }

    public bool IsPresent(int node) => !double.IsNaN(Xs[node]) && !double.IsNaN(Ys[node]);

    /// <summary>Per-axis median of the present coordinates (numpy's nanmedian); NaN when none.</summary>
    public (double X, double Y) Centroid => _centroid ??= (NanMedian(Xs), NanMedian(Ys));

    /// <summary>The box around the present points; NaN when none.</summary>
    public BoundingBox Box => _box ??= BoundingBox.Around(Xs, Ys);

    private static double NanMedian(double[] values)
    {
        var present = values.Where(v => !double.IsNaN(v)).ToArray();
        if (present.Length == 0) return double.NaN;
        Array.Sort(present);
        int middle = present.Length / 2;
        return present.Length % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
    }
}

/// <summary>An axis-aligned box around an instance's points (SLEAP's <c>bounding_box</c>).</summary>
internal readonly record struct BoundingBox(double X1, double Y1, double X2, double Y2)
{
    public static BoundingBox Around(double[] xs, double[] ys)
    {
        double x1 = double.PositiveInfinity, y1 = double.PositiveInfinity, x2 = double.NegativeInfinity, y2 = double.NegativeInfinity;
        for (int n = 0; n < xs.Length; n++)
        {
            // numpy's nanmin/nanmax per axis: each axis skips only its own NaNs.
            if (!double.IsNaN(xs[n])) { x1 = Math.Min(x1, xs[n]); x2 = Math.Max(x2, xs[n]); }
            if (!double.IsNaN(ys[n])) { y1 = Math.Min(y1, ys[n]); y2 = Math.Max(y2, ys[n]); }
        }
        return double.IsPositiveInfinity(x1) || double.IsPositiveInfinity(y1)
            ? new BoundingBox(double.NaN, double.NaN, double.NaN, double.NaN)
            : new BoundingBox(x1, y1, x2, y2);
    }

    /// <summary>Area with SLEAP's inclusive-pixel (+1) convention.</summary>
    public double Area => (X2 - X1 + 1) * (Y2 - Y1 + 1);

    /// <summary>Intersection area with the +1 convention.</summary>
    public double Intersection(BoundingBox other) =>
        Math.Max(Math.Min(X2, other.X2) - Math.Max(X1, other.X1) + 1, 0) *
        Math.Max(Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1) + 1, 0);

    /// <summary>SLEAP's <c>compute_iou</c>; NaN when either box is NaN.</summary>
    public double IntersectionOverUnion(BoundingBox other)
    {
        double intersection = Intersection(other);
        return intersection / (Area + other.Area - intersection);
    }
}
