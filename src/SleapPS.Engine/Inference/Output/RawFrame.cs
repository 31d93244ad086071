using SleapPS.Engine.Data;

namespace SleapPS.Engine.Inference.Output;

/// <summary>
/// One frame's raw output, as SLEAP's <c>predict(..., make_labels=False)</c> gives it (docs/design/inference.md §13): peaks,
/// peak values, instance scores and centroids with NaN for missing nodes, <see cref="NValid"/> rows, and the model's
/// maps when asked for (SLEAP's <c>return_confmaps</c>). What Invoke-SleapPredict -Raw emits.
/// </summary>
public sealed class RawFrame
{
    private readonly FramePrediction _prediction;

    public RawFrame(FramePrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        _prediction = prediction;
    }

    public Video Video => _prediction.Video;

    public long FrameIndex => _prediction.FrameIndex;

    /// <summary><c>instance_peaks</c> (n, N, 2): x, y of each node of each row.</summary>
    public float[,,]? InstancePeaks => _prediction.Raw?.InstancePeaks;

    /// <summary><c>instance_peak_vals</c> (n, N).</summary>
    public float[,]? InstancePeakValues => _prediction.Raw?.InstancePeakValues;

    /// <summary><c>instance_scores</c> (n).</summary>
    public float[]? InstanceScores => _prediction.Raw?.InstanceScores;

    /// <summary>Bottom-up multi-class <c>instance_scores</c> (classes, N).</summary>
    public float[,]? InstanceClassScores => _prediction.Raw?.InstanceClassScores;

    /// <summary><c>centroids</c> (n, 2).</summary>
    public float[,]? Centroids => _prediction.Raw?.Centroids;

    /// <summary><c>centroid_vals</c> (n).</summary>
    public float[]? CentroidValues => _prediction.Raw?.CentroidValues;

    /// <summary><c>n_valid</c>: rows that hold an instance (or crop).</summary>
    public int NValid => _prediction.Raw?.NValid ?? 0;

    /// <summary>Confidence maps, part affinity fields and class maps of this frame (with -IncludeConfidenceMaps).</summary>
    public IReadOnlyList<NamedMaps>? Maps => _prediction.Maps;

    /// <summary>The instances made from these arrays, as in the Labels output.</summary>
    public IReadOnlyList<PredictedInstance> Instances => _prediction.Instances;

    public override string ToString() => $"{Path.GetFileName(Video.Filename)} frame {FrameIndex}: {NValid} valid row(s)";
}
