using System.Diagnostics;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// Top-down stage 1 with a centroid model (SLEAP's CentroidCrop, docs/design/inference.md §9.1): preprocess the pipeline images
/// (the centroid config's input scaling and pad_to_stride), run the model, find local peaks, refine them (offset head
/// when the model has one, else the setting) and map them to frame coordinates; each step by the rules of the model's
/// family (docs/design/sleap-nn-inference.md for sleap-nn models).
/// </summary>
internal sealed class CentroidDetector : IDisposable
{
    private readonly ModelRunner _runner;
    private readonly InferenceRules _rules;
    private readonly double _inputScale;
    private readonly int _padToStride;
    private readonly int _outputStride;
    private readonly int _modelChannels;
    private readonly float _threshold;
    private readonly PeakRefinement _refinement;
    private readonly int _integralPatchSize;
    private readonly List<GridPeak> _peaks = new();

    private readonly PredictorStageTimes _stageTimes;

    public CentroidDetector(SleapModel model, InferenceSettings settings, PredictorStageTimes stageTimes)
    {
        var config = model.Config;
        var head = config.FindHead(HeadKind.CentroidConfmaps)
            ?? throw new SleapException(SleapErrorKind.InvalidData,
                $"The centroid model '{model.SourcePath}' has no centroid confidence-map head in its {TrainingConfig.FileName}.", model.SourcePath);
        _rules = InferenceRules.For(config);
        _inputScale = config.Preprocessing.InputScaling;
        _padToStride = _rules.CentroidPadToStride(config);
        _outputStride = head.OutputStride;
        _modelChannels = model.InputShape.Channels;
        _threshold = (float)settings.PeakThreshold;
        _refinement = settings.Refinement;
        _integralPatchSize = settings.IntegralPatchSize;
        _stageTimes = stageTimes;
        _runner = new ModelRunner(model, stageTimes);
    }

    /// <summary>
    /// Appends the centroids of images [<paramref name="first"/>, first + count) (all of one size) to
    /// <paramref name="centroids"/>, in SLEAP's order: frame, then row-major scan of the grid.
    /// </summary>
    public void Detect(PipelineImages images, int first, int count, CentroidList centroids, List<NamedMaps>?[]? maps)
    {
        ref readonly var shape = ref images[first];
        var (height, width) = _rules.NetworkInputSize(shape.Height, shape.Width, _inputScale, _padToStride);
        long start = Stopwatch.GetTimestamp();
        var input = _runner.PrepareBatch(count, height, width, _modelChannels);
        for (int i = 0; i < count; i++)
        {
            ref readonly var image = ref images[first + i];
            input.Write(i, _rules, image.Span, image.Height, image.Width, image.Channels, _modelChannels, _inputScale, _padToStride);
        }
        _stageTimes.AddPreprocess(start);

        var outputs = _runner.Run();
        var confmaps = outputs.Get(HeadKind.CentroidConfmaps);
        var offsets = outputs.TryGet(HeadKind.OffsetRefinement);

        _peaks.Clear();
        PeakFinder.FindLocal(confmaps, _threshold, _peaks);
        foreach (var peak in _peaks)
        {
            var (gx, gy) = _rules.Refine(peak, confmaps, offsets, _refinement, _integralPatchSize);
            centroids.Add(first + peak.Sample,
                _rules.GridToImage(gx, _outputStride, _inputScale),
                _rules.GridToImage(gy, _outputStride, _inputScale),
                peak.Value);
        }

        if (maps is not null)
            for (int i = 0; i < count; i++)
                (maps[first + i] ??= new()).Add(NamedMaps.FromSample("centroid_confmaps", confmaps, i, _outputStride));
    }

    public void Dispose() => _runner.Dispose();
}
