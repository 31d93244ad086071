using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// A combined multi-class top-down export (sleap-nn model_type 'multi_class_topdown_combined',
/// docs/design/sleap-nn-exports.md §3.4): the top-down outputs plus <c>class_logits</c> (B, K, classes). The kept
/// instances of a frame are matched to classes (<see cref="ClassAssignment"/>); each matched instance goes on the
/// track named after its class, with the class probability as tracking score and its centroid value as score, in
/// class order as sleap-nn lists them.
/// </summary>
public sealed class TopDownMultiClassExportPredictor : CombinedTopDownExportPredictor
{
    private readonly Track[] _tracks;
    private readonly ClassAssignment _assignment = new();
    private readonly int _classCount;
    private float[] _logits = [];
    private int[] _rowOfClass = [];

    public TopDownMultiClassExportPredictor(Predictor predictor, InferenceSettings settings) : base(predictor, settings)
    {
        _classCount = Metadata.ClassNames.Count;
        if (_classCount == 0)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The multi-class sleap-nn export metadata in '{Metadata.SourcePath}' has no class_names, so its identity classes are unknown. Export the model again with sleap-nn export.",
                Metadata.SourcePath);
        // One track per class, shared by every frame, as the other multi-class predictors make them.
        _tracks = Metadata.ClassNames.Select(name => new Track(name, spawnedOn: 0)).ToArray();
    }

    /// <summary>The identity tracks, one per class in class order.</summary>
    public IReadOnlyList<Track> Tracks => _tracks;

    protected override void CheckShapes(ExportOutputs outputs, int batch)
    {
        base.CheckShapes(outputs, batch);
        RequireShape(outputs, "class_logits", batch, outputs.Dimension("centroid_vals", 1), _classCount);
    }

    protected override FramePrediction Decode(ExportOutputs outputs, int sample, FrameInput frame, PredictionOptions options)
    {
        var slots = KeptSlots(outputs, sample);
        var (points, values) = Poses(outputs, sample, slots);
        int total = outputs.Dimension("centroid_vals", 1), nodes = NodeCount, classes = _classCount;
        var allLogits = outputs.Floats("class_logits").Slice(sample * total * classes, total * classes);
        var logits = Core.Growable.Ensure(ref _logits, Math.Max(1, slots.Length) * classes).AsSpan(0, slots.Length * classes);
        for (int i = 0; i < slots.Length; i++)
            allLogits.Slice(slots[i] * classes, classes).CopyTo(logits.Slice(i * classes, classes));
        var classOfRow = _assignment.Assign(logits, slots.Length, classes);
        var probabilities = _assignment.Probabilities;

        var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
        var rowOfClass = Core.Growable.Ensure(ref _rowOfClass, classes);
        Array.Fill(rowOfClass, -1);
        for (int i = 0; i < slots.Length; i++)
            if (classOfRow[i] >= 0)
                rowOfClass[classOfRow[i]] = i;
        for (int c = 0; c < classes; c++)
        {
            int i = rowOfClass[c];
            if (i < 0)
                continue;
            var instance = PredictedInstances.Create(Skeleton, points.AsSpan(i * nodes * 2, nodes * 2), values.AsSpan(i * nodes, nodes),
                CentroidValue(outputs, sample, slots[i]), _tracks[c], probabilities[i * classes + c]);
            if (instance is not null)
                prediction.Instances.Add(instance);
        }
        if (options.IncludeRaw)
            prediction.Raw = Raw(outputs, sample, slots, points, values, rowOfClass, probabilities);
        return prediction;
    }

    // Rows are classes, as SLEAP's multi-class top-down arrays are: the matched instance's pose and class probability (NaN when none).
    private RawFrameOutput Raw(ExportOutputs outputs, int sample, ReadOnlySpan<int> slots, float[] points, float[] values,
        int[] rowOfClass, ReadOnlySpan<float> probabilities)
    {
        int nodes = NodeCount, classes = _classCount;
        var classPoints = new float[classes * nodes * 2];
        var classValues = new float[classes * nodes];
        var scores = new float[classes];
        Array.Fill(classPoints, float.NaN);
        Array.Fill(classValues, float.NaN);
        Array.Fill(scores, float.NaN);
        for (int c = 0; c < classes; c++)
        {
            int i = rowOfClass[c];
            if (i < 0) continue;
            points.AsSpan(i * nodes * 2, nodes * 2).CopyTo(classPoints.AsSpan(c * nodes * 2));
            values.AsSpan(i * nodes, nodes).CopyTo(classValues.AsSpan(c * nodes));
            scores[c] = probabilities[i * classes + c];
        }
        var (centroids, centroidValues) = Centroids(outputs, sample, slots);
        var raw = ExportRaw.Instances(classPoints, classValues, classes, nodes, scores, centroids, centroidValues);
        return new RawFrameOutput
        {
            InstancePeaks = raw.InstancePeaks,
            InstancePeakValues = raw.InstancePeakValues,
            InstanceScores = raw.InstanceScores,
            Centroids = raw.Centroids,
            CentroidValues = raw.CentroidValues,
            NValid = slots.Length,
        };
    }
}
