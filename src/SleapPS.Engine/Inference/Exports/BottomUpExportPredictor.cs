using SleapPS.Engine.Inference.BottomUp;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// A bottom-up export (docs/design/sleap-nn-exports.md §3.5): <c>peaks</c> (B, N, k, 2) in the scaled image's pixels,
/// <c>peak_vals</c> and <c>peak_mask</c> (B, N, k), and the line score of every candidate connection. The grouping runs
/// on the host as sleap-nn runs it: the valid peaks, node by node in slot order; per edge a linear assignment on the
/// line scores; <c>min_line_scores</c>; assembly in breadth-first edge order (<see cref="PafGrouper.GroupScored"/>).
/// Points are divided by the input scale; an instance's score is the sum of its connections' line scores.
/// </summary>
public sealed class BottomUpExportPredictor : ExportPredictor
{
    private readonly PafGrouper _grouper;
    private readonly ExportLineScores _lineScores = new();
    private readonly int _nodeCount;
    private readonly int _edgeCount;
    private float[] _peakX = [], _peakY = [], _peakValues = [];
    private int[] _peakChannels = [], _slotOfPeak = [];
    private int[] _order = [];

    public BottomUpExportPredictor(Predictor predictor, InferenceSettings settings) : base(predictor, settings)
    {
        _nodeCount = Metadata.NodeNames.Count;
        _edgeCount = Metadata.Edges.Count;
        // The export scored the candidates, so the grouper's own PAF scoring (and its stride) is never used.
        _grouper = new PafGrouper(_nodeCount, Metadata.Edges, pafStride: 1, settings);
    }

    protected override void CheckShapes(ExportOutputs outputs, int batch)
    {
        int k = outputs.Dimension("peak_vals", 2);
        RequireShape(outputs, "peaks", batch, _nodeCount, k, 2);
        RequireShape(outputs, "peak_vals", batch, _nodeCount, k);
        RequireShape(outputs, "peak_mask", batch, _nodeCount, k);
        RequireShape(outputs, "line_scores", batch, _edgeCount, k * k);
        RequireShape(outputs, "candidate_mask", batch, _edgeCount, k * k);
    }

    protected override FramePrediction Decode(ExportOutputs outputs, int sample, FrameInput frame, PredictionOptions options)
    {
        int k = outputs.Dimension("peak_vals", 2), slots = _nodeCount * k;
        var peaks = outputs.Floats("peaks").Slice(sample * slots * 2, slots * 2);
        var values = outputs.Floats("peak_vals").Slice(sample * slots, slots);
        var mask = outputs.Bools("peak_mask").Slice(sample * slots, slots);

        // The frame's peaks: valid slots, node by node, in slot order (descending value within a node).
        int count = 0;
        Growable.Ensure(ref _peakX, slots);
        Growable.Ensure(ref _peakY, slots);
        Growable.Ensure(ref _peakValues, slots);
        Growable.Ensure(ref _peakChannels, slots);
        Growable.Ensure(ref _slotOfPeak, slots);
        for (int s = 0; s < slots; s++)
        {
            if (!mask[s] || !(values[s] > Threshold))
                continue;
            (_peakX[count], _peakY[count], _peakValues[count]) = (peaks[2 * s], peaks[2 * s + 1], values[s]);
            (_peakChannels[count], _slotOfPeak[count]) = (s / k, s % k);
            count++;
        }
        _lineScores.Use(outputs, sample, _edgeCount, k, _slotOfPeak);
        var grouped = _grouper.GroupScored(_peakX.AsSpan(0, count), _peakY.AsSpan(0, count), _peakValues.AsSpan(0, count),
            _peakChannels.AsSpan(0, count), _lineScores);

        // Scaled-image pixels to frame pixels: divided by the input scale, in float32, with no half-pixel shift.
        float scale = (float)Metadata.InputScale;
        var points = grouped.Points;
        if (scale != 1f)
            for (int i = 0; i < points.Length; i++)
                points[i] /= scale;

        var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
        var order = Order(grouped.Scores);
        foreach (int m in order)
        {
            var instance = PredictedInstances.Create(Skeleton, points.Slice(m * _nodeCount * 2, _nodeCount * 2),
                grouped.Values.Slice(m * _nodeCount, _nodeCount), grouped.Scores[m]);
            if (instance is not null)
                prediction.Instances.Add(instance);
        }
        if (options.IncludeRaw)
            prediction.Raw = ExportRaw.Instances(points, grouped.Values, grouped.Count, _nodeCount, grouped.Scores.ToArray());
        return prediction;
    }

    /// <summary>
    /// The instances to keep, in output order: all in assembly order; or, when MaxInstances is exceeded, the best by
    /// score as sleap-nn picks them (an ascending stable sort reversed, so equal scores come last-assembled first).
    /// </summary>
    private ReadOnlySpan<int> Order(ReadOnlySpan<float> scores)
    {
        int count = scores.Length;
        var order = Growable.Ensure(ref _order, count).AsSpan(0, count);
        for (int i = 0; i < count; i++)
            order[i] = count - 1 - i;
        if (Settings.MaxInstances is not int max || count <= max)
        {
            order.Reverse();
            return order;
        }
        // Reversed order in, stable descending sort out: equal scores keep the reversed (later-first) order.
        for (int i = 1; i < count; i++)
        {
            int item = order[i], j = i - 1;
            while (j >= 0 && scores[order[j]] < scores[item])
            {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = item;
        }
        return order[..max];
    }
}
