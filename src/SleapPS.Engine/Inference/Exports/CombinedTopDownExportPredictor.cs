using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// What the two combined top-down exports share (docs/design/sleap-nn-exports.md §3.3): <c>centroids</c> (B, K, 2),
/// <c>centroid_vals</c> (B, K), <c>peaks</c> (B, K, N, 2) in frame pixels, <c>peak_vals</c> (B, K, N) and
/// <c>instance_valid</c> (B, K), slots in descending centroid value, invalid slots zero-filled. The graph cuts its crops
/// with a scale fixed at the traced size, so frames must have that size (§2.2).
/// </summary>
public abstract class CombinedTopDownExportPredictor : ExportPredictor
{
    private int[] _kept = [];
    private float[] _points = [];
    private float[] _values = [];

    protected CombinedTopDownExportPredictor(Predictor predictor, InferenceSettings settings) : base(predictor, settings) =>
        NodeCount = Metadata.NodeNames.Count;

    protected int NodeCount { get; }

    protected override void CheckShapes(ExportOutputs outputs, int batch)
    {
        int slots = outputs.Dimension("centroid_vals", 1);
        RequireShape(outputs, "centroids", batch, slots, 2);
        RequireShape(outputs, "centroid_vals", batch, slots);
        RequireShape(outputs, "instance_valid", batch, slots);
        RequireShape(outputs, "peaks", batch, slots, NodeCount, 2);
        RequireShape(outputs, "peak_vals", batch, slots, NodeCount);
    }

    protected override void CheckFrameSize(int height, int width)
    {
        var traced = Model.InputShape;
        if (height != traced.Height || width != traced.Width)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The combined top-down sleap-nn export '{Model.OnnxPath}' was traced at {traced.Height}x{traced.Width} (its training config's max_height and max_width) " +
                $"and cannot predict on {height}x{width} frames: its crops are cut at a scale fixed for the traced size, so sleap-nn would return poses from wrongly scaled crops. " +
                "Export the model again at your videos' size (sleap-nn export CENTROID_DIR INSTANCE_DIR --input-height H --input-width W).", Model.OnnxPath);
    }

    /// <summary>
    /// The slots of one sample that make instances: valid, centroid value above the threshold in force, at most
    /// MaxInstances (the first, since slots come in descending value). Returns them in slot order.
    /// </summary>
    protected ReadOnlySpan<int> KeptSlots(ExportOutputs outputs, int sample)
    {
        int slots = outputs.Dimension("centroid_vals", 1);
        var values = outputs.Floats("centroid_vals").Slice(sample * slots, slots);
        var valid = outputs.Bools("instance_valid").Slice(sample * slots, slots);
        var kept = Growable.Ensure(ref _kept, slots);
        int limit = Settings.MaxInstances ?? int.MaxValue, count = 0;
        for (int k = 0; k < slots && count < limit; k++)
            if (valid[k] && values[k] > Threshold)
                kept[count++] = k;
        return kept.AsSpan(0, count);
    }

    /// <summary>
    /// The kept slots' points (rows × N × 2) and node values (rows × N), a node below the threshold in force being NaN
    /// with value 0 as the graph makes it, at the start of reused buffers (valid until the next call).
    /// </summary>
    protected (float[] Points, float[] Values) Poses(ExportOutputs outputs, int sample, ReadOnlySpan<int> slots)
    {
        int total = outputs.Dimension("centroid_vals", 1), nodes = NodeCount;
        var peaks = outputs.Floats("peaks").Slice(sample * total * nodes * 2, total * nodes * 2);
        var peakValues = outputs.Floats("peak_vals").Slice(sample * total * nodes, total * nodes);
        var points = Growable.Ensure(ref _points, Math.Max(1, slots.Length) * nodes * 2);
        var values = Growable.Ensure(ref _values, Math.Max(1, slots.Length) * nodes);
        for (int i = 0; i < slots.Length; i++)
            for (int n = 0; n < nodes; n++)
            {
                int from = slots[i] * nodes + n, to = i * nodes + n;
                bool present = peakValues[from] >= Threshold;
                points[2 * to] = present ? peaks[2 * from] : float.NaN;
                points[2 * to + 1] = present ? peaks[2 * from + 1] : float.NaN;
                values[to] = present ? peakValues[from] : 0f;
            }
        return (points, values);
    }

    /// <summary>The kept slots' centroids (rows × 2) and values, for <see cref="RawFrameOutput"/>.</summary>
    protected static (float[,] Centroids, float[] Values) Centroids(ExportOutputs outputs, int sample, ReadOnlySpan<int> slots)
    {
        int total = outputs.Dimension("centroid_vals", 1);
        var centroids = outputs.Floats("centroids");
        var values = outputs.Floats("centroid_vals");
        var xy = new float[slots.Length, 2];
        var v = new float[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            int at = sample * total + slots[i];
            (xy[i, 0], xy[i, 1], v[i]) = (centroids[2 * at], centroids[2 * at + 1], values[at]);
        }
        return (xy, v);
    }

    /// <summary>A kept slot's centroid value: the instance's score, as sleap-nn scores top-down instances (§3.3).</summary>
    protected static float CentroidValue(ExportOutputs outputs, int sample, int slot) =>
        outputs.Floats("centroid_vals")[sample * outputs.Dimension("centroid_vals", 1) + slot];
}
