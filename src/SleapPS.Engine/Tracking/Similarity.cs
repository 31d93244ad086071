namespace SleapPS.Engine.Tracking;

/// <summary>
/// SLEAP's similarity functions <c>s(ref, query)</c>: <c>ref</c> is the untracked instance and
/// <c>query</c> a candidate of a track. Larger is more similar; NaN means "cannot compare".
/// </summary>
internal abstract class Similarity
{
    public abstract double Of(Pose reference, Pose query);

    /// <summary>
    /// The function for a kind. <paramref name="imageHeightWidth"/> is read by the normalized
    /// instance similarity the first time it is needed (SLEAP binds the first frame's size).
    /// </summary>
    public static Similarity Create(TrackerOptions options, Func<(int Height, int Width)?> imageHeightWidth, Action<string>? warn) =>
        options.Similarity switch
        {
            SimilarityKind.Instance => new InstanceSimilarity(),
            SimilarityKind.NormalizedInstance => new NormalizedInstanceSimilarity(imageHeightWidth),
            SimilarityKind.Centroid => new CentroidSimilarity(),
            SimilarityKind.Iou => new IouSimilarity(),
            SimilarityKind.ObjectKeypoint => new ObjectKeypointSimilarity(options.OksErrors, options.OksScoreWeighting, options.OksNormalization, warn),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
}

/// <summary>
/// <c>Σ exp(−‖q−r‖²) / (present nodes of ref)</c> in pixels: only nodes within about 2 px contribute.
/// </summary>
internal class InstanceSimilarity : Similarity
{
    public override double Of(Pose reference, Pose query) => Compute(reference, query, 1.0, 1.0);

    protected static double Compute(Pose reference, Pose query, double xScale, double yScale)
    {
        double sum = 0;
        int present = 0;
        for (int n = 0; n < reference.NodeCount; n++)
        {
            if (!reference.IsPresent(n)) continue;
            present++;
            double dx = query.Xs[n] / xScale - reference.Xs[n] / xScale;
            double dy = query.Ys[n] / yScale - reference.Ys[n] / yScale;
            double term = Math.Exp(-(dx * dx + dy * dy));
            if (!double.IsNaN(term)) sum += term;
        }
        return sum / present; // 0/0 = NaN when ref has no node, as in SLEAP
    }
}

/// <summary>The instance similarity on coordinates divided by the image width and height.</summary>
internal sealed class NormalizedInstanceSimilarity(Func<(int Height, int Width)?> imageHeightWidth) : InstanceSimilarity
{
    private (int Height, int Width)? _size;

    public override double Of(Pose reference, Pose query)
    {
        _size ??= imageHeightWidth() ?? throw new SleapException(SleapErrorKind.InvalidArgument,
            "The normalized_instance similarity divides coordinates by the frame size, but the size of the frames is unknown. Give the frame image to the tracker, or use another similarity.");
        return Compute(reference, query, _size.Value.Width, _size.Value.Height);
    }
}

/// <summary>Minus the distance between the nanmedian centroids.</summary>
internal sealed class CentroidSimilarity : Similarity
{
    public override double Of(Pose reference, Pose query)
    {
        var (ax, ay) = reference.Centroid;
        var (bx, by) = query.Centroid;
        return -Math.Sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
    }
}

/// <summary>Intersection over union of the point bounding boxes (+1 pixel convention).</summary>
internal sealed class IouSimilarity : Similarity
{
    public override double Of(Pose reference, Pose query) => reference.Box.IntersectionOverUnion(query.Box);
}

/// <summary>
/// Object keypoint similarity: <c>Σ w_r·w_q·exp(−‖q−r‖²/(2e²)) / D</c>.
/// </summary>
internal sealed class ObjectKeypointSimilarity : Similarity
{
    private readonly bool _scoreWeighting;
    private readonly OksNormalization _normalization;
    private readonly Action<string>? _warn;
    private double[] _precision;

    public ObjectKeypointSimilarity(double[]? errors, bool scoreWeighting, OksNormalization normalization, Action<string>? warn)
    {
        var e = errors is { Length: > 0 } ? errors : [1.0];
        _precision = e.Select(v => 1 / (2 * v * v)).ToArray();
        _scoreWeighting = scoreWeighting;
        _normalization = normalization;
        _warn = warn;
    }

    public override double Of(Pose reference, Pose query)
    {
        int nodes = reference.NodeCount;
        int denominator = _normalization switch
        {
            OksNormalization.Ref => reference.PresentCount,
            OksNormalization.Union => Enumerable.Range(0, nodes).Count(n => reference.IsPresent(n) && query.IsPresent(n)),
            _ => nodes,
        };
        if (denominator == 0) return 0;
        if (_precision.Length > 1 && _precision.Length != nodes) FitPrecisionTo(nodes);

        double sum = 0;
        for (int n = 0; n < nodes; n++)
        {
            double dx = query.Xs[n] - reference.Xs[n];
            double dy = query.Ys[n] - reference.Ys[n];
            double precision = _precision.Length == 1 ? _precision[0] : _precision[n];
            double term = Math.Exp(-(dx * dx + dy * dy) * precision);
            if (_scoreWeighting) term *= (reference.Scores?[n] ?? 1.0) * (query.Scores?[n] ?? 1.0);
            if (!double.IsNaN(term)) sum += term;
        }
        return sum / denominator;
    }

    /// <summary>SLEAP pads a short error list with its last value, truncates a long one, and warns once.</summary>
    private void FitPrecisionTo(int nodes)
    {
        string message = $"keypoint_errors array should have the same size as the number of keypoints in the instance: {_precision.Length} != {nodes}";
        if (_precision.Length > nodes)
        {
            _precision = _precision[..nodes];
            message += "\nTruncating keypoint_errors array.";
        }
        else
        {
            _precision = _precision.Concat(Enumerable.Repeat(_precision[^1], nodes - _precision.Length)).ToArray();
            message += "\nPadding keypoint_errors array by repeating the last value.";
        }
        _warn?.Invoke(message);
    }
}
