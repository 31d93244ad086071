using SleapPS.Engine.Inference.SleapNn;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// The steps where SLEAP 1.4's inference and sleap-nn's differ (docs/design/sleap-nn-inference.md), for the models of
/// one family: how a frame becomes the network input, how peaks are found and refined, how grid positions map back to
/// pixels, and how top-down crops are cut. Every model follows its own family's rules (a SLEAP 1.4 centroid model
/// paired with a sleap-nn centered-instance model runs each stage by its own), so each stage of a predictor holds the
/// rules of the model it runs, from <see cref="For"/>.
/// </summary>
/// <remarks>
/// An instance may keep buffers between calls (sleap-nn's resize does): one per stage, not shared between threads.
/// </remarks>
internal abstract class InferenceRules
{
    /// <summary>New rules for a model of <paramref name="family"/>.</summary>
    public static InferenceRules For(ModelFamily family) => family switch
    {
        ModelFamily.Sleap => Sleap14Rules.Instance,
        ModelFamily.SleapNn => new SleapNnRules(),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown model family."),
    };

    /// <summary>The rules of <paramref name="config"/>'s model.</summary>
    public static InferenceRules For(TrainingConfig config) => For(config.Family);

    public abstract ModelFamily Family { get; }

    /// <summary>
    /// A frame as the data pipeline hands it to a model (size matching and the pipeline's colour steps, still uint8),
    /// with <paramref name="config"/>'s preprocessing. <paramref name="providerMaxSize"/> is SLEAP's size-matching
    /// target for configs that name none; <paramref name="channels"/> the channels SLEAP's Normalizer converts to
    /// (null: none). <paramref name="buffer"/> is reused for converted pixels.
    /// </summary>
    public abstract PreparedImage PrepareFrame(FrameInput frame, PreprocessingConfig? config, (int Height, int Width)? providerMaxSize,
        int? channels, ref byte[] buffer);

    /// <summary>The config whose size settings a multi-class top-down predictor's frames are matched to (null: none).</summary>
    public abstract PreprocessingConfig? MultiClassTopDownSizeConfig(TrainingConfig pipelineConfig);

    /// <summary>The network input's height and width for an image of this size: scaled, then padded to a multiple of <paramref name="padToStride"/>.</summary>
    public abstract (int Height, int Width) NetworkInputSize(int height, int width, double scale, int padToStride);

    /// <summary>
    /// One uint8 HWC image into the float network input: scaled by <paramref name="scale"/>, converted to
    /// <paramref name="modelChannels"/>, zero padded right and below up to <paramref name="destHeight"/> x
    /// <paramref name="destWidth"/> (at least <see cref="NetworkInputSize"/>).
    /// </summary>
    public abstract void ToNetworkInput(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<float> destinationHwc, int destHeight, int destWidth);

    /// <summary>
    /// <see cref="ToNetworkInput"/> without its last step, the scaling to float, for a graph with a byte-input front that
    /// does it (docs/design/gpu.md §3): the uint8 pixels the front casts, only where every earlier step works on uint8
    /// (ByteInputFront.For admits only such models); otherwise InvalidOperationException.
    /// </summary>
    public abstract void ToNetworkBytes(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<byte> destinationHwc, int destHeight, int destWidth);

    /// <summary>What the centroid model's input is padded to a multiple of.</summary>
    public abstract int CentroidPadToStride(TrainingConfig config);

    /// <summary>One peak per (sample, channel) at <c>sample * Channels + channel</c> of <paramref name="result"/>.</summary>
    public abstract void FindGlobalPeaks(MapView maps, float threshold, Span<GridPeak> result);

    /// <summary>The refined peak in grid units (NaN for a peak not found).</summary>
    public abstract (double X, double Y) Refine(in GridPeak peak, MapView confmaps, MapView? offsets, PeakRefinement mode, int integralPatchSize);

    /// <summary>A position in network-input pixels (grid × stride) back to the (size-matched) frame's pixels, undoing the input scale.</summary>
    public abstract float InputToImage(float inputPixels, double inputScale);

    /// <summary>A refined grid position back to the (size-matched) frame's pixels: <see cref="InputToImage"/> of grid × stride.</summary>
    public float GridToImage(double grid, int stride, double inputScale) => InputToImage((float)grid * stride, inputScale);

    /// <summary>How the PAF line between two peaks is sampled (bottom-up models).</summary>
    public abstract PafLineSampling PafLineSampling { get; }

    /// <summary>Whether a peak outside the class maps reads the nearest edge cell (true) or zeros (false).</summary>
    public abstract bool ClampClassMapReads { get; }

    // Top-down crops.

    /// <summary>
    /// Appends the centroids that ground-truth instances stand in with (a centered-instance model without a centroid
    /// model), in the coordinates crops are cut in; <paramref name="sizeScale"/> is the frame's size-matching factor.
    /// </summary>
    public abstract void AddGroundTruthCentroids(IReadOnlyList<Data.Instance> instances, string? anchorPart, int frame, float sizeScale, CentroidList centroids);

    /// <summary>The factor frames are resized by before crops are cut, for a centered-instance model of input scale <paramref name="instanceScale"/>.</summary>
    public abstract double PrecropScale(double instanceScale);

    /// <summary>The scale and padding the centered-instance model's crops get before the network.</summary>
    public abstract (double Scale, int PadToStride) CropNetworkInput(TrainingConfig instanceConfig);

    /// <summary>
    /// Cuts the <paramref name="size"/> x <paramref name="size"/> crop around (<paramref name="cx"/>, <paramref name="cy"/>)
    /// from a uint8 HWC image; pixels outside the image are 0.
    /// </summary>
    public abstract void CutCrop(ReadOnlySpan<byte> hwc, int height, int width, int channels, float cx, float cy, int size, Span<byte> destination);

    /// <summary>
    /// Where a crop's keypoints are shifted to in the image, along one axis: crop pixels + this = image pixels, in the
    /// units the crop was cut in (before <paramref name="offsetDivisor"/>, SLEAP's docs/design/inference.md §Q11, divides it).
    /// </summary>
    public abstract float CropOrigin(float centre, int size, float offsetDivisor);
}

/// <summary>How a bottom-up predictor places the samples of a PAF line between two peaks.</summary>
public enum PafLineSampling
{
    /// <summary>SLEAP 1.4 (tf.linspace): the two ends exactly, inner samples start + l·(stop − start)/(n − 1).</summary>
    Linspace,
    /// <summary>sleap-nn (its interp1d): start + l·t_l·(stop − start)/(1 + ε), docs/design/sleap-nn-inference.md §7.</summary>
    Interp1d,
}
