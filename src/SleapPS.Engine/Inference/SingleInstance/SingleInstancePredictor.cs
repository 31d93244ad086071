using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.SingleInstance;

/// <summary>
/// SLEAP's SingleInstancePredictor (docs/design/inference.md §8): the whole frame through a single-instance model, one global peak
/// per node, and at most one instance per frame whose score is the sum of all N peak values, including those of nodes
/// below the threshold (docs/design/inference.md §Q3). A sleap-nn model runs by sleap-nn's rules (docs/design/sleap-nn-inference.md): there
/// a node below the threshold has the value 0, so the same sum is sleap-nn's nansum of the node scores (§10).
/// </summary>
public sealed class SingleInstancePredictor : PosePredictor
{
    private readonly Skeleton _skeleton;
    private readonly InferenceRules _rules;
    private readonly PipelineImages _pipeline;
    private readonly ModelRunner _runner;
    private readonly double _inputScale;
    private readonly int _padToStride;
    private readonly int _outputStride;
    private readonly int _modelChannels;
    private readonly int _nodeCount;
    private readonly float _threshold;
    private readonly PeakRefinement _refinement;
    private readonly int _integralPatchSize;
    private GridPeak[] _peaks = [];
    private float[] _points = [];
    private float[] _values = [];

    public SingleInstancePredictor(Predictor predictor, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        if (predictor.Kind != PredictorKind.SingleInstance || predictor.Main is null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"A {predictor.Kind} predictor cannot run as a single-instance predictor; it needs a single_instance model.");
        var model = predictor.Main;
        var config = model.Config;
        var head = config.FindHead(HeadKind.SingleInstanceConfmaps)
            ?? throw new SleapException(SleapErrorKind.InvalidData,
                $"The single-instance model '{model.SourcePath}' has no single-instance confidence-map head in its {TrainingConfig.FileName}.", model.SourcePath);
        _skeleton = predictor.Skeleton;
        _modelChannels = model.InputShape.Channels;
        _rules = InferenceRules.For(config);
        _pipeline = new PipelineImages(_rules, config.Preprocessing, _modelChannels);
        _inputScale = config.Preprocessing.InputScaling;
        // SingleInstanceInferenceLayer pads to the backbone's max stride, not to the config's pad_to_stride (docs/design/inference.md §3.3).
        _padToStride = config.MaxStride;
        _outputStride = head.OutputStride;
        _nodeCount = head.Channels.Count;
        _threshold = (float)settings.PeakThreshold;
        _refinement = settings.Refinement;
        _integralPatchSize = settings.IntegralPatchSize;
        _runner = new ModelRunner(model, StageTimes);
    }

    public override PredictorKind Kind => PredictorKind.SingleInstance;

    public override bool RequiresGroundTruth => false;

    public override (int Height, int Width)? ProviderMaxSize
    {
        get => _pipeline.ProviderMaxSize;
        set => _pipeline.ProviderMaxSize = value;
    }

    public override IReadOnlyList<FramePrediction> PredictBatch(IReadOnlyList<FrameInput> frames, PredictionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        long start = Stopwatch.GetTimestamp();
        _pipeline.Prepare(frames);
        StageTimes.AddPreprocess(start);
        var results = new FramePrediction[frames.Count];
        // One model run per run of same-sized frames (the pipeline batches frames of one size).
        for (int first = 0; first < frames.Count;)
        {
            int count = 1;
            while (first + count < frames.Count && _pipeline[first + count].SameSize(_pipeline[first]))
                count++;
            Predict(frames, first, count, options, results);
            first += count;
            cancellationToken.ThrowIfCancellationRequested();
        }
        return results;
    }

    private void Predict(IReadOnlyList<FrameInput> frames, int first, int count, PredictionOptions options, FramePrediction[] results)
    {
        ref readonly var shape = ref _pipeline[first];
        var (height, width) = _rules.NetworkInputSize(shape.Height, shape.Width, _inputScale, _padToStride);
        long start = Stopwatch.GetTimestamp();
        var input = _runner.PrepareBatch(count, height, width, _modelChannels);
        for (int i = 0; i < count; i++)
        {
            ref readonly var image = ref _pipeline[first + i];
            input.Write(i, _rules, image.Span, image.Height, image.Width, image.Channels, _modelChannels, _inputScale, _padToStride);
        }
        StageTimes.AddPreprocess(start);

        var outputs = _runner.Run();
        var confmaps = outputs.Get(HeadKind.SingleInstanceConfmaps);
        var offsets = outputs.TryGet(HeadKind.OffsetRefinement);
        var peaks = Growable.Ensure(ref _peaks, count * _nodeCount).AsSpan(0, count * _nodeCount);
        _rules.FindGlobalPeaks(confmaps, _threshold, peaks);
        var points = Growable.Ensure(ref _points, _nodeCount * 2).AsSpan(0, _nodeCount * 2);
        var values = Growable.Ensure(ref _values, _nodeCount).AsSpan(0, _nodeCount);

        for (int i = 0; i < count; i++)
        {
            var frame = frames[first + i];
            float sizeScale = _pipeline[first + i].Scale;
            float score = 0f;
            for (int node = 0; node < _nodeCount; node++)
            {
                ref readonly var peak = ref peaks[i * _nodeCount + node];
                var (gx, gy) = _rules.Refine(peak, confmaps, offsets, _refinement, _integralPatchSize);
                // docs/design/inference.md §7: stride, input scaling (+0.5 for SLEAP 1.4, docs/design/inference.md §Q2), then SizeMatcher's scale.
                points[2 * node] = _rules.GridToImage(gx, _outputStride, _inputScale) / sizeScale;
                points[2 * node + 1] = _rules.GridToImage(gy, _outputStride, _inputScale) / sizeScale;
                values[node] = peak.Value;
                // np.nansum over every node's value, also below-threshold ones (docs/design/inference.md §Q3), in float32.
                if (!float.IsNaN(peak.Value))
                    score += peak.Value;
            }

            var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
            var instance = PredictedInstances.Create(_skeleton, points, values, score);
            if (instance is not null)
                prediction.Instances.Add(instance);
            if (options.IncludeRaw)
                prediction.Raw = Raw(points, values);
            if (options.IncludeMaps)
                prediction.Maps = [NamedMaps.FromSample("confmaps", confmaps, i, _outputStride)];
            results[first + i] = prediction;
        }
    }

    private RawFrameOutput Raw(ReadOnlySpan<float> points, ReadOnlySpan<float> values)
    {
        var peaks = new float[1, _nodeCount, 2];
        var peakValues = new float[1, _nodeCount];
        for (int node = 0; node < _nodeCount; node++)
        {
            peaks[0, node, 0] = points[2 * node];
            peaks[0, node, 1] = points[2 * node + 1];
            peakValues[0, node] = values[node];
        }
        return new RawFrameOutput { InstancePeaks = peaks, InstancePeakValues = peakValues, NValid = 1 };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _runner.Dispose();
    }
}
