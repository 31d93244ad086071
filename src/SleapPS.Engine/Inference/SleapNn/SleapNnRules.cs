using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.SleapNn;

/// <summary>
/// sleap-nn's inference rules, for models it trained (docs/design/sleap-nn-inference.md). Holds the preprocessing's
/// resize buffers: one instance per stage.
/// </summary>
internal sealed class SleapNnRules : InferenceRules
{
    private readonly SleapNnPreprocessing _preprocessing = new();

    public override ModelFamily Family => ModelFamily.SleapNn;

    /// <summary>
    /// §1: ensure_rgb / ensure_grayscale and the size matcher to the config's max_height / max_width. sleap-nn has no
    /// provider-wide target and no uint8 Normalizer step: <paramref name="providerMaxSize"/> and
    /// <paramref name="channels"/> do not apply (the network input converts channels, §3).
    /// </summary>
    public override PreparedImage PrepareFrame(FrameInput frame, PreprocessingConfig? config, (int Height, int Width)? providerMaxSize,
        int? channels, ref byte[] buffer) =>
        config is null
            ? new PreparedImage(frame.Pixels, frame.Height, frame.Width, frame.Channels, 1f)
            : _preprocessing.PrepareFrame(frame, config, ref buffer);

    /// <summary>Multi-class top-down sizes frames like plain top-down (§1).</summary>
    public override PreprocessingConfig? MultiClassTopDownSizeConfig(TrainingConfig pipelineConfig) => pipelineConfig.Preprocessing;

    public override (int Height, int Width) NetworkInputSize(int height, int width, double scale, int padToStride) =>
        SleapNnPreprocessing.NetworkInputSize(height, width, scale, padToStride);

    public override void ToNetworkInput(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<float> destinationHwc, int destHeight, int destWidth) =>
        _preprocessing.ToNetworkInput(hwc, height, width, channels, modelChannels, scale, padToStride, destinationHwc, destHeight, destWidth);

    public override void ToNetworkBytes(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<byte> destinationHwc, int destHeight, int destWidth) =>
        _preprocessing.ToNetworkBytes(hwc, height, width, channels, modelChannels, scale, padToStride, destinationHwc, destHeight, destWidth);

    /// <summary>§2: every sleap-nn layer pads to the backbone's max stride.</summary>
    public override int CentroidPadToStride(TrainingConfig config) => config.MaxStride;

    public override void FindGlobalPeaks(MapView maps, float threshold, Span<GridPeak> result) => SleapNnPeaks.FindGlobal(maps, threshold, result);

    /// <summary>
    /// §5: integral regression, or the grid peak for any other mode (sleap-nn refines only by "integral"; it has no local
    /// refinement and its layers never read offset heads).
    /// </summary>
    public override (double X, double Y) Refine(in GridPeak peak, MapView confmaps, MapView? offsets, PeakRefinement mode, int integralPatchSize)
    {
        if (!peak.Found)
            return (double.NaN, double.NaN);
        return mode == PeakRefinement.Integral
            ? SleapNnPeaks.IntegralRefine(peak, confmaps, integralPatchSize)
            : (peak.Col, peak.Row);
    }

    /// <summary>§4: q / σ, no half-pixel shift.</summary>
    public override float InputToImage(float inputPixels, double inputScale) =>
        inputScale == 1.0 ? inputPixels : inputPixels / (float)inputScale;

    public override PafLineSampling PafLineSampling => PafLineSampling.Interp1d;

    /// <summary>§9: classify_peaks_from_maps clamps the rounded peak into the class maps.</summary>
    public override bool ClampClassMapReads => true;

    /// <summary>§6: anchor, else the mean of the visible points; scaled into the size-matched frame.</summary>
    public override void AddGroundTruthCentroids(IReadOnlyList<Data.Instance> instances, string? anchorPart, int frame, float sizeScale, CentroidList centroids) =>
        SleapNnGroundTruthCentroids.Add(instances, anchorPart, frame, sizeScale, centroids);

    /// <summary>§6: crops are cut from the size-matched frame, not from a resized one.</summary>
    public override double PrecropScale(double instanceScale) => 1.0;

    /// <summary>§6: the crops get the centered-instance model's own input scale and padding to its max stride.</summary>
    public override (double Scale, int PadToStride) CropNetworkInput(TrainingConfig instanceConfig) =>
        (instanceConfig.Preprocessing.InputScaling, instanceConfig.MaxStride);

    public override void CutCrop(ReadOnlySpan<byte> hwc, int height, int width, int channels, float cx, float cy, int size, Span<byte> destination) =>
        SleapNnCrops.Cut(hwc, height, width, channels, cx, cy, size, destination);

    /// <summary>§6: the box's fractional corner (c − S/2) + 0.5; nothing divides it.</summary>
    public override float CropOrigin(float centre, int size, float offsetDivisor) => SleapNnCrops.Corner(centre, size);
}
