using SleapPS.Engine.Data;

namespace SleapPS.Engine.Evaluation;

/// <summary>
/// An instance's coordinates as SLEAP's <c>points_array</c> gives them to the evaluation: x and y per node in
/// skeleton order, NaN for missing nodes and for nodes marked not visible.
/// Stored flat (x0, y0, x1, y1, ...) so the metric loops allocate nothing.
/// </summary>
public readonly struct PointsArray
{
    private readonly double[] _xy;

    public PointsArray(Instance instance)
    {
        var points = instance.Points;
        _xy = new double[points.Length * 2];
        for (int node = 0; node < points.Length; node++)
        {
            var point = points[node];
            _xy[2 * node] = point.Visible ? point.X : double.NaN;
            _xy[2 * node + 1] = point.Visible ? point.Y : double.NaN;
        }
    }

    /// <summary>From coordinates already laid out as (x0, y0, x1, y1, ...), NaN for missing.</summary>
    public PointsArray(double[] xy)
    {
        if (xy.Length % 2 != 0) throw new ArgumentException("Coordinates come in (x, y) pairs; the array has an odd length.", nameof(xy));
        _xy = xy;
    }

    public int NodeCount => _xy.Length / 2;

    public double X(int node) => _xy[2 * node];

    public double Y(int node) => _xy[2 * node + 1];

    /// <summary>SLEAP's test for a missing node: either coordinate is NaN.</summary>
    public bool IsMissing(int node) => double.IsNaN(_xy[2 * node]) || double.IsNaN(_xy[2 * node + 1]);

    /// <summary>‖other − this‖₂ at one node; NaN when either is missing.</summary>
    public double DistanceTo(PointsArray other, int node)
    {
        double dx = other.X(node) - X(node), dy = other.Y(node) - Y(node);
        return Math.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>
    /// The area of the points' bounding box, (max x − min x)·(max y − min y), each axis ignoring NaN on its own
    /// as np.nanmin / np.nanmax do; NaN when an axis has no value.
    /// </summary>
    public double BoundingBoxArea()
    {
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity;
        double minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        bool anyX = false, anyY = false;
        for (int node = 0; node < NodeCount; node++)
        {
            double x = X(node), y = Y(node);
            if (!double.IsNaN(x)) { anyX = true; minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); }
            if (!double.IsNaN(y)) { anyY = true; minY = Math.Min(minY, y); maxY = Math.Max(maxY, y); }
        }
        return anyX && anyY ? (maxX - minX) * (maxY - minY) : double.NaN;
    }
}
