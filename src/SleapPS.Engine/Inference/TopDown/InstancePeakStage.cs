using System.Diagnostics;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// Top-down stage 2 (SLEAP's FindInstancePeaks and TopDownMultiClassFindPeaks, docs/design/inference.md §9.3, §9.4, §12): cuts an
/// S x S crop around each centroid, runs the centered-instance model on all crops of the batch (in chunks), finds one
/// global peak per node and crop, refines it and maps it back to the frame. For a SLEAP 1.4 model the crops go to the
/// network as cut and <c>q = p * stride</c>, <c>q = q / rho + 0.5</c> when rho != 1, then <c>q += o / offsetDivisor</c>
/// with the crop offset <c>o = c - S/2</c> (docs/design/inference.md §Q1). A sleap-nn model cuts whole pixels, scales and pads the crops
/// itself, and adds the box's fractional corner (docs/design/sleap-nn-inference.md §6): the model's
/// <see cref="InferenceRules"/> decide.
/// </summary>
internal sealed class InstancePeakStage : IDisposable
{
    /// <summary>
    /// Crops per model run: bounds the input and output buffers however many animals a batch holds. Small enough that
    /// the largest run's shape comes up in the first batches, so ONNX Runtime's memory stops growing there (with 64, a
    /// batch with more animals than any before it, late in a video, grew the process by 100+ MiB); a crop costs the
    /// same per crop from 4 crops a run up on the CPU.
    /// </summary>
    internal const int ChunkSize = 16;

    private readonly ModelRunner _runner;
    private readonly InferenceRules _rules;
    private readonly int _cropSize;
    private readonly double _inputScale;
    private readonly double _cropScale;
    private readonly int _cropPadToStride;
    private readonly int _outputStride;
    private readonly int _modelChannels;
    private readonly float _threshold;
    private readonly PeakRefinement _refinement;
    private readonly int _integralPatchSize;
    private readonly bool _classVectors;
    private byte[] _crops = [];
    private GridPeak[] _peaks = [];

    private readonly PredictorStageTimes _stageTimes;

    public InstancePeakStage(SleapModel model, InferenceSettings settings, HeadKind confmapsHead, bool classVectors, PredictorStageTimes stageTimes)
    {
        var config = model.Config;
        var head = config.FindHead(confmapsHead)
            ?? throw new SleapException(SleapErrorKind.InvalidData,
                $"The {config.ModelTypeName} model '{model.SourcePath}' has no {HeadConfig.KerasNameOf(confmapsHead)} head in its {TrainingConfig.FileName}.", model.SourcePath);
        _cropSize = config.InstanceCropping.CropSize
            ?? throw new SleapException(SleapErrorKind.InvalidData,
                $"The {config.ModelTypeName} model '{model.SourcePath}' has no data.instance_cropping.crop_size in its {TrainingConfig.FileName}; " +
                "SLEAP sets it when training. Retrain the model or set the crop size the model was trained with.", config.SourcePath);
        _rules = InferenceRules.For(config);
        _inputScale = config.Preprocessing.InputScaling;
        (_cropScale, _cropPadToStride) = _rules.CropNetworkInput(config);
        _outputStride = head.OutputStride;
        _modelChannels = model.InputShape.Channels;
        NodeCount = head.Channels.Count;
        ClassCount = classVectors ? config.ClassNames.Count : 0;
        _classVectors = classVectors;
        _threshold = (float)settings.PeakThreshold;
        _refinement = settings.Refinement;
        _integralPatchSize = settings.IntegralPatchSize;
        _stageTimes = stageTimes;
        _runner = new ModelRunner(model, stageTimes);
    }

    /// <summary>S: the side of the crops, in (pre-resized) frame pixels.</summary>
    public int CropSize => _cropSize;

    /// <summary>ρ: the model's input scaling.</summary>
    public double InputScale => _inputScale;

    /// <summary>The rules of the model's family.</summary>
    public InferenceRules Rules => _rules;

    public int NodeCount { get; }

    public int ClassCount { get; }

    /// <summary>
    /// Predicts the peaks of every centroid's crop into <paramref name="results"/>. <paramref name="images"/>[f] is the
    /// image frame f's crops are cut from; <paramref name="offsetDivisor"/> is what crop offsets are divided by
    /// (ρ for TopDown, 1 for TopDownMultiClass, docs/design/inference.md §Q11).
    /// </summary>
    public void Predict(PreparedImage[] images, CentroidList centroids, float offsetDivisor, InstancePeakResults results,
        List<NamedMaps>?[]? maps, CancellationToken cancellationToken)
    {
        results.Reset(centroids.Count, NodeCount, ClassCount);
        int channels = centroids.Count > 0 ? images[centroids.Frame(0)].Channels : 1;
        int cropBytes = _cropSize * _cropSize * channels;
        var (inputHeight, inputWidth) = _rules.NetworkInputSize(_cropSize, _cropSize, _cropScale, _cropPadToStride);

        for (int start = 0; start < centroids.Count; start += ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(ChunkSize, centroids.Count - start);
            long preprocessStart = Stopwatch.GetTimestamp();
            var crops = Growable.Ensure(ref _crops, count * cropBytes);
            var input = _runner.PrepareBatch(count, inputHeight, inputWidth, _modelChannels);
            for (int i = 0; i < count; i++)
            {
                int index = start + i;
                ref readonly var image = ref images[centroids.Frame(index)];
                var crop = crops.AsSpan(i * cropBytes, cropBytes);
                _rules.CutCrop(image.Span, image.Height, image.Width, image.Channels, centroids.X(index), centroids.Y(index), _cropSize, crop);
                input.Write(i, _rules, crop, _cropSize, _cropSize, image.Channels, _modelChannels, _cropScale, _cropPadToStride);
            }
            _stageTimes.AddPreprocess(preprocessStart);

            var outputs = _runner.Run();
            var confmaps = outputs.Get(HeadKind.CenteredInstanceConfmaps);
            var offsets = outputs.TryGet(HeadKind.OffsetRefinement);
            var peaks = Growable.Ensure(ref _peaks, count * NodeCount).AsSpan(0, count * NodeCount);
            _rules.FindGlobalPeaks(confmaps, _threshold, peaks);

            for (int i = 0; i < count; i++)
            {
                int index = start + i;
                float ox = _rules.CropOrigin(centroids.X(index), _cropSize, offsetDivisor);
                float oy = _rules.CropOrigin(centroids.Y(index), _cropSize, offsetDivisor);
                var points = results.Points(index);
                var values = results.Values(index);
                for (int node = 0; node < NodeCount; node++)
                {
                    ref readonly var peak = ref peaks[i * NodeCount + node];
                    var (gx, gy) = _rules.Refine(peak, confmaps, offsets, _refinement, _integralPatchSize);
                    points[2 * node] = _rules.GridToImage(gx, _outputStride, _inputScale) + ox;
                    points[2 * node + 1] = _rules.GridToImage(gy, _outputStride, _inputScale) + oy;
                    values[node] = peak.Value;
                }
            }

            if (_classVectors)
            {
                var vectors = outputs.Get(HeadKind.ClassVectors);
                for (int i = 0; i < count; i++)
                    vectors.Sample(i).AsSpan()[..ClassCount].CopyTo(results.ClassProbabilities(start + i));
            }

            if (maps is not null)
                for (int i = 0; i < count; i++)
                    (maps[centroids.Frame(start + i)] ??= new()).Add(NamedMaps.FromSample("instance_confmaps", confmaps, i, _outputStride));
        }
    }

    public void Dispose() => _runner.Dispose();
}
