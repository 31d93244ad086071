using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// A centroid export on its own (docs/design/sleap-nn-exports.md §3.2): <c>centroids</c> (B, K, 2) in frame pixels,
/// <c>centroid_vals</c> (B, K) and <c>instance_valid</c> (B, K), slots in descending value. Like sleap-nn, each valid
/// centroid becomes an instance of the one-node 'centroid' skeleton, scored by its value; no ground truth is involved.
/// </summary>
public sealed class CentroidExportPredictor : ExportPredictor
{
    private readonly int _nodeCount;
    private float[] _points = [];
    private float[] _values = [];

    public CentroidExportPredictor(Predictor predictor, InferenceSettings settings) : base(predictor, settings) =>
        _nodeCount = Skeleton.Nodes.Count;

    protected override void CheckShapes(ExportOutputs outputs, int batch)
    {
        int slots = outputs.Dimension("centroid_vals", 1);
        RequireShape(outputs, "centroids", batch, slots, 2);
        RequireShape(outputs, "centroid_vals", batch, slots);
        RequireShape(outputs, "instance_valid", batch, slots);
    }

    protected override FramePrediction Decode(ExportOutputs outputs, int sample, FrameInput frame, PredictionOptions options)
    {
        int slots = outputs.Dimension("centroid_vals", 1);
        var centroids = outputs.Floats("centroids").Slice(sample * slots * 2, slots * 2);
        var centroidValues = outputs.Floats("centroid_vals").Slice(sample * slots, slots);
        var valid = outputs.Bools("instance_valid").Slice(sample * slots, slots);
        int limit = Settings.MaxInstances ?? int.MaxValue;

        var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
        var points = Growable.Ensure(ref _points, slots * _nodeCount * 2);
        var values = Growable.Ensure(ref _values, slots * _nodeCount);
        int kept = 0;
        // Slots come in descending value, so the first valid ones are the MaxInstances best.
        for (int k = 0; k < slots && kept < limit; k++)
        {
            if (!valid[k] || !(centroidValues[k] > Threshold))
                continue;
            // The centroid is node 0 of the one-node skeleton (or of a one-node model's own skeleton).
            var xy = points.AsSpan(kept * _nodeCount * 2, _nodeCount * 2);
            var vals = values.AsSpan(kept * _nodeCount, _nodeCount);
            xy.Fill(float.NaN);
            vals.Fill(float.NaN);
            (xy[0], xy[1], vals[0]) = (centroids[2 * k], centroids[2 * k + 1], centroidValues[k]);
            var nodes = new Point[_nodeCount];
            for (int n = 0; n < _nodeCount; n++)
                nodes[n] = n == 0 ? new Point(xy[0], xy[1], Visible: true, Complete: false, Score: vals[0]) : Point.MissingPredicted;
            prediction.Instances.Add(new PredictedInstance(Skeleton, nodes, centroidValues[k]));
            kept++;
        }
        if (options.IncludeRaw)
        {
            var rawCentroids = new float[kept, 2];
            var rawValues = new float[kept];
            for (int i = 0; i < kept; i++)
                (rawCentroids[i, 0], rawCentroids[i, 1], rawValues[i]) = (points[i * _nodeCount * 2], points[i * _nodeCount * 2 + 1], values[i * _nodeCount]);
            prediction.Raw = ExportRaw.Instances(points, values, kept, _nodeCount, scores: null, rawCentroids, rawValues);
        }
        return prediction;
    }
}
