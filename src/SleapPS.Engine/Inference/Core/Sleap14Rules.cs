using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// SLEAP 1.4's inference rules, for Keras models (the SLEAP 1.4 side of each section of docs/design/sleap-nn-inference.md):
/// TF's bilinear resizes and crop_and_resize, uint8 colour conversion, the +0.5 after an input scale (docs/design/inference.md §Q2),
/// below-threshold global peaks that keep their value (docs/design/inference.md §Q3).
/// Stateless: one instance serves every stage.
/// </summary>
internal sealed class Sleap14Rules : InferenceRules
{
    public static readonly Sleap14Rules Instance = new();

    private Sleap14Rules() { }

    public override ModelFamily Family => ModelFamily.Sleap;

    /// <summary>
    /// SizeMatcher (docs/design/sleap-nn-inference.md §1) when the config asks for it and the frame differs from the target (the
    /// config's, else the provider's), then Normalizer's uint8 colour conversion to <paramref name="channels"/>.
    /// </summary>
    public override PreparedImage PrepareFrame(FrameInput frame, PreprocessingConfig? config, (int Height, int Width)? providerMaxSize,
        int? channels, ref byte[] buffer)
    {
        byte[] pixels = frame.Pixels;
        int height = frame.Height, width = frame.Width, frameChannels = frame.Channels;
        float scale = 1f;

        var target = SizeTarget(config, providerMaxSize);
        if (target is { } t && (t.Height != height || t.Width != width))
        {
            var matched = ImagePreprocessor.MatchSize(pixels, height, width, frameChannels, t.Height, t.Width);
            (pixels, height, width, scale) = (matched.Pixels, matched.Height, matched.Width, (float)matched.Scale);
        }

        if (channels is int wanted && wanted != frameChannels)
        {
            int pixelCount = height * width;
            Growable.Ensure(ref buffer, pixelCount * wanted);
            ImagePreprocessor.ConvertColour(new ReadOnlySpan<byte>(pixels, 0, pixelCount * frameChannels), pixelCount, frameChannels, wanted, buffer);
            (pixels, frameChannels) = (buffer, wanted);
        }
        return new PreparedImage(pixels, height, width, frameChannels, scale);
    }

    private static (int Height, int Width)? SizeTarget(PreprocessingConfig? config, (int Height, int Width)? providerMaxSize)
    {
        if (config is not { ResizeAndPadToTarget: true })
            return null;
        if (config.TargetHeight is int h && config.TargetWidth is int w)
            return (h, w);
        return providerMaxSize;
    }

    /// <summary>TopDownMultiClassPredictor has no SizeMatcher (docs/design/sleap-nn-inference.md §1).</summary>
    public override PreprocessingConfig? MultiClassTopDownSizeConfig(TrainingConfig pipelineConfig) => null;

    public override (int Height, int Width) NetworkInputSize(int height, int width, double scale, int padToStride) =>
        ImagePreprocessor.OutputSize(height, width, scale, padToStride);

    public override void ToNetworkInput(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<float> destinationHwc, int destHeight, int destWidth) =>
        ImagePreprocessor.ToModelInput(hwc, height, width, channels, modelChannels, scale, padToStride, destinationHwc, destHeight, destWidth);

    public override void ToNetworkBytes(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<byte> destinationHwc, int destHeight, int destWidth) =>
        ImagePreprocessor.ToModelBytes(hwc, height, width, channels, modelChannels, scale, padToStride, destinationHwc, destHeight, destWidth);

    /// <summary>SLEAP passes the centroid config's pad_to_stride; a config that leaves it unset means the backbone's max stride.</summary>
    public override int CentroidPadToStride(TrainingConfig config) => config.Preprocessing.PadToStride ?? config.MaxStride;

    public override void FindGlobalPeaks(MapView maps, float threshold, Span<GridPeak> result) => PeakFinder.FindGlobal(maps, threshold, result);

    public override (double X, double Y) Refine(in GridPeak peak, MapView confmaps, MapView? offsets, PeakRefinement mode, int integralPatchSize) =>
        PeakRefiner.Refine(peak, confmaps, offsets, mode, integralPatchSize);

    /// <summary>q / σ + 0.5 when σ ≠ 1 (the +0.5 is SLEAP's for every scale, docs/design/inference.md §Q2), in float32.</summary>
    public override float InputToImage(float inputPixels, double inputScale)
    {
        float scale = (float)inputScale;
        return scale == 1f ? inputPixels : inputPixels / scale + 0.5f;
    }

    public override PafLineSampling PafLineSampling => PafLineSampling.Linspace;

    public override bool ClampClassMapReads => false;

    /// <summary>SLEAP's InstanceCentroidFinder (docs/design/sleap-nn-inference.md §6): anchor, else the bounding-box midpoint per coordinate.</summary>
    public override void AddGroundTruthCentroids(IReadOnlyList<Data.Instance> instances, string? anchorPart, int frame, float sizeScale, CentroidList centroids) =>
        GroundTruth.AddCentroids(instances, anchorPart, frame, centroids);

    /// <summary>Frames are resized by the centered-instance model's input scaling before cropping (docs/design/sleap-nn-inference.md §6).</summary>
    public override double PrecropScale(double instanceScale) => instanceScale;

    /// <summary>The crops go to the network as cut: no resize and no padding (docs/design/sleap-nn-inference.md §6).</summary>
    public override (double Scale, int PadToStride) CropNetworkInput(TrainingConfig instanceConfig) => (1.0, 1);

    public override void CutCrop(ReadOnlySpan<byte> hwc, int height, int width, int channels, float cx, float cy, int size, Span<byte> destination) =>
        CropExtractor.Crop(hwc, height, width, channels, cx, cy, size, destination);

    /// <summary>SLEAP's stored crop offset c − S/2 (docs/design/inference.md §Q1), divided by ρ for TopDown (docs/design/inference.md §Q11).</summary>
    public override float CropOrigin(float centre, int size, float offsetDivisor) => (centre - size / 2f) / offsetDivisor;
}
