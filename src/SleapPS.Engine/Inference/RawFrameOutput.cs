namespace SleapPS.Engine.Inference;

/// <summary>
/// SLEAP's <c>make_labels=False</c> arrays for ONE frame (docs/design/inference.md §13): the frame's row of the batch arrays,
/// float32 as SLEAP computes them. Rows are the frame's instances (or crops, or classes for the multi-class kinds);
/// coordinates are frame pixels (x, y) in the pixel-centre convention; NaN marks a missing node or an empty slot.
/// An array is null when the predictor kind has no such key.
/// </summary>
public sealed class RawFrameOutput
{
    /// <summary><c>instance_peaks</c>: (n, N, 2) = (instance, node, x/y).</summary>
    public float[,,]? InstancePeaks { get; init; }

    /// <summary><c>instance_peak_vals</c>: (n, N), the confidence-map value at each integer grid peak (below-threshold global peaks keep their value).</summary>
    public float[,]? InstancePeakValues { get; init; }

    /// <summary>
    /// <c>instance_scores</c> of shape (n): bottom-up (sum of line scores) and top-down multi-class (probability of
    /// the matched class). Bottom-up multi-class has per-node scores: see <see cref="InstanceClassScores"/>.
    /// </summary>
    public float[]? InstanceScores { get; init; }

    /// <summary>Bottom-up multi-class <c>instance_scores</c>: (classes, N), the class probability of each node's peak.</summary>
    public float[,]? InstanceClassScores { get; init; }

    /// <summary>Top-down <c>centroids</c>: (n, 2) frame (x, y).</summary>
    public float[,]? Centroids { get; init; }

    /// <summary>Top-down <c>centroid_vals</c>: (n).</summary>
    public float[]? CentroidValues { get; init; }

    /// <summary>
    /// <c>n_valid</c>: the number of rows of this frame (SLEAP pads a batch's ragged rows with NaN to the batch's
    /// longest; these arrays are never padded, so NValid equals their row count).
    /// </summary>
    public int NValid { get; init; }
}
