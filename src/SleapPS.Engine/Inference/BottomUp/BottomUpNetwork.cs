using System.Diagnostics;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// The part both bottom-up predictors share (docs/design/inference.md §3.2, §3.3, §10.1, §11.1 – 2): SizeMatcher, colour, input
/// scaling and padding to the max stride, the forward pass, and local peaks of the multi-instance confidence maps with
/// their refinement, in image pixels of the scaled network input (grid position × confidence-map stride, float32).
/// Each step follows the model family's <see cref="InferenceRules"/> (docs/design/sleap-nn-inference.md for sleap-nn
/// models). Reuses its buffers from batch to batch.
/// </summary>
internal sealed class BottomUpNetwork : IDisposable
{
    private readonly SleapModel _model;
    private readonly InferenceSettings _settings;
    private readonly ModelRunner _runner;
    private readonly List<GridPeak> _gridPeaks = new();
    private byte[] _prepared = [];
    private float[] _x = new float[64], _y = new float[64], _values = new float[64];
    private int[] _channels = new int[64];
    private int[] _sampleStart = new int[2];
    private float[] _sizeScales = new float[1];

    private readonly PredictorStageTimes _stageTimes;

    public BottomUpNetwork(SleapModel model, InferenceSettings settings, PredictorStageTimes stageTimes)
    {
        _model = model;
        _settings = settings;
        var config = model.Config;
        ConfmapsStride = RequireHead(config, HeadKind.MultiInstanceConfmaps).OutputStride;
        InputScale = config.Preprocessing.InputScaling;
        Rules = InferenceRules.For(config);
        _stageTimes = stageTimes;
        _runner = new ModelRunner(model, stageTimes);
    }

    public SleapModel Model => _model;

    /// <summary>The rules of the model's family.</summary>
    public InferenceRules Rules { get; }

    /// <summary>σ, the config's input scaling.</summary>
    public double InputScale { get; }

    public int ConfmapsStride { get; }

    /// <summary>SizeMatcher's target when the config names none (<see cref="PosePredictor.ProviderMaxSize"/>; null: each frame's own size).</summary>
    public (int Height, int Width)? SizeMatchTarget { get; set; }

    /// <summary>The last batch's frame count.</summary>
    public int SampleCount { get; private set; }

    public static HeadConfig RequireHead(TrainingConfig config, HeadKind kind) =>
        config.FindHead(kind) ?? throw new SleapException(SleapErrorKind.InvalidData,
            $"The {config.ModelTypeName} model '{config.ModelFolder}' has no {HeadConfig.KerasNameOf(kind)} in its training config; " +
            "bottom-up inference needs it. Check that the model folder holds the config the model was trained with.", config.SourcePath);

    /// <summary>Preprocesses and runs a batch of same-size frames; the outputs stay valid until the next call.</summary>
    public ModelOutputs Run(IReadOnlyList<FrameInput> frames)
    {
        int batch = frames.Count;
        if (batch == 0)
            throw new ArgumentException("A batch needs at least one frame.", nameof(frames));
        SampleCount = batch;
        if (_sizeScales.Length < batch)
            _sizeScales = new float[batch];

        int modelChannels = _model.InputShape.Channels;
        int maxStride = _model.Config.MaxStride;
        long start = Stopwatch.GetTimestamp();
        int inputHeight = 0, inputWidth = 0;
        NetworkBatch input = default;
        for (int i = 0; i < batch; i++)
        {
            // SizeMatcher (docs/design/sleap-nn-inference.md §1, both families); each frame is turned into network
            // input before the next is prepared, so one buffer serves them all.
            var image = Rules.PrepareFrame(frames[i], _model.Config.Preprocessing, SizeMatchTarget, channels: null, ref _prepared);
            _sizeScales[i] = image.Scale;
            var (outHeight, outWidth) = Rules.NetworkInputSize(image.Height, image.Width, InputScale, maxStride);
            if (i == 0)
            {
                (inputHeight, inputWidth) = (outHeight, outWidth);
                input = _runner.PrepareBatch(batch, inputHeight, inputWidth, modelChannels);
            }
            else if ((outHeight, outWidth) != (inputHeight, inputWidth))
                throw new ArgumentException($"Frames of one batch must share a size: frame {frames[i].FrameIndex} gives a {outHeight}x{outWidth} network input, frame {frames[0].FrameIndex} {inputHeight}x{inputWidth}.", nameof(frames));
            input.Write(i, Rules, image.Span, image.Height, image.Width, image.Channels, modelChannels, InputScale, maxStride);
        }
        _stageTimes.AddPreprocess(start);
        return _runner.Run();
    }

    /// <summary>SizeMatcher's factor for each frame of the last batch (1 when the frame was not resized); points are divided by it.</summary>
    public ReadOnlySpan<float> SizeScales => _sizeScales.AsSpan(0, SampleCount);

    /// <summary>
    /// Finds the local peaks of every frame's confidence maps (docs/design/inference.md §6.2) and refines them (the offset head when
    /// the model has one, else the settings' refinement: docs/design/inference.md §Q4), then multiplies by the confidence-map stride.
    /// </summary>
    public void FindPeaks(ModelOutputs outputs)
    {
        var confmaps = outputs.Get(HeadKind.MultiInstanceConfmaps);
        var offsets = outputs.TryGet(HeadKind.OffsetRefinement);
        _gridPeaks.Clear();
        PeakFinder.FindLocal(confmaps, (float)_settings.PeakThreshold, _gridPeaks);

        int count = _gridPeaks.Count;
        if (_x.Length < count)
        {
            int size = Math.Max(count, _x.Length * 2);
            _x = new float[size];
            _y = new float[size];
            _values = new float[size];
            _channels = new int[size];
        }
        if (_sampleStart.Length < SampleCount + 1)
            _sampleStart = new int[SampleCount + 1];
        Array.Clear(_sampleStart);

        float stride = ConfmapsStride;
        for (int i = 0; i < count; i++)
        {
            var peak = _gridPeaks[i];
            var (x, y) = Rules.Refine(peak, confmaps, offsets, _settings.Refinement, _settings.IntegralPatchSize);
            _x[i] = (float)x * stride;
            _y[i] = (float)y * stride;
            _values[i] = peak.Value;
            _channels[i] = peak.Channel;
            _sampleStart[peak.Sample + 1]++;
        }
        for (int s = 0; s < SampleCount; s++)
            _sampleStart[s + 1] += _sampleStart[s];
    }

    /// <summary>The last batch's peaks of one frame (frame order: row, column, channel), in scaled-input pixels.</summary>
    public FramePeaks PeaksOf(int sample)
    {
        int start = _sampleStart[sample], length = _sampleStart[sample + 1] - start;
        return new FramePeaks(_x.AsSpan(start, length), _y.AsSpan(start, length), _values.AsSpan(start, length), _channels.AsSpan(start, length));
    }

    public void Dispose() => _runner.Dispose();
}

/// <summary>One frame's local peaks: position in scaled-input pixels, confidence-map value, node (channel).</summary>
internal readonly ref struct FramePeaks(Span<float> x, Span<float> y, Span<float> values, Span<int> channels)
{
    public Span<float> X { get; } = x;

    public Span<float> Y { get; } = y;

    public Span<float> Values { get; } = values;

    public Span<int> Channels { get; } = channels;

    public int Count => Channels.Length;
}
