using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// A single-instance export (docs/design/sleap-nn-exports.md §3.1): <c>peaks</c> (B, N, 2) in frame pixels and
/// <c>peak_vals</c> (B, N), a node below the threshold being NaN with value 0. One instance per frame, scored by the
/// sum of its node values, as sleap-nn scores single-instance predictions.
/// </summary>
public sealed class SingleInstanceExportPredictor : ExportPredictor
{
    private readonly int _nodeCount;
    private float[] _points = [];
    private float[] _values = [];

    public SingleInstanceExportPredictor(Predictor predictor, InferenceSettings settings) : base(predictor, settings) =>
        _nodeCount = Metadata.NodeNames.Count;

    protected override void CheckShapes(ExportOutputs outputs, int batch)
    {
        RequireShape(outputs, "peaks", batch, _nodeCount, 2);
        RequireShape(outputs, "peak_vals", batch, _nodeCount);
    }

    protected override FramePrediction Decode(ExportOutputs outputs, int sample, FrameInput frame, PredictionOptions options)
    {
        var peaks = outputs.Floats("peaks").Slice(sample * _nodeCount * 2, _nodeCount * 2);
        var peakValues = outputs.Floats("peak_vals").Slice(sample * _nodeCount, _nodeCount);
        var points = Growable.Ensure(ref _points, _nodeCount * 2).AsSpan(0, _nodeCount * 2);
        var values = Growable.Ensure(ref _values, _nodeCount).AsSpan(0, _nodeCount);
        float score = 0f;
        for (int node = 0; node < _nodeCount; node++)
        {
            // The graph's rule (value below the threshold: NaN, 0), again at the run's threshold when that is higher.
            bool kept = peakValues[node] >= Threshold;
            points[2 * node] = kept ? peaks[2 * node] : float.NaN;
            points[2 * node + 1] = kept ? peaks[2 * node + 1] : float.NaN;
            values[node] = kept ? peakValues[node] : 0f;
            score += values[node];
        }

        var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
        if (PredictedInstances.Create(Skeleton, points, values, score) is { } instance)
            prediction.Instances.Add(instance);
        if (options.IncludeRaw)
            prediction.Raw = ExportRaw.Instances(points, values, 1, _nodeCount, scores: null);
        return prediction;
    }
}
