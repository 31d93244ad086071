using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// A combined top-down export, centroid and centered-instance models in one graph (sleap-nn model_type 'topdown',
/// docs/design/sleap-nn-exports.md §3.3): one instance per kept centroid, scored by the centroid's value; an instance
/// whose nodes are all below the threshold is dropped.
/// </summary>
public sealed class TopDownExportPredictor(Predictor predictor, InferenceSettings settings) : CombinedTopDownExportPredictor(predictor, settings)
{
    protected override FramePrediction Decode(ExportOutputs outputs, int sample, FrameInput frame, PredictionOptions options)
    {
        var slots = KeptSlots(outputs, sample);
        var (points, values) = Poses(outputs, sample, slots);
        var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
        int nodes = NodeCount;
        for (int i = 0; i < slots.Length; i++)
        {
            var instance = PredictedInstances.Create(Skeleton, points.AsSpan(i * nodes * 2, nodes * 2), values.AsSpan(i * nodes, nodes),
                CentroidValue(outputs, sample, slots[i]));
            if (instance is not null)
                prediction.Instances.Add(instance);
        }
        if (options.IncludeRaw)
        {
            var (centroids, centroidValues) = Centroids(outputs, sample, slots);
            prediction.Raw = ExportRaw.Instances(points, values, slots.Length, nodes, scores: null, centroids, centroidValues);
        }
        return prediction;
    }
}
