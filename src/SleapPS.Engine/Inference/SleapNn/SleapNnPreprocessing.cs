using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.SleapNn;

/// <summary>
/// sleap-nn's preprocessing of uint8 frames (docs/design/sleap-nn-inference.md §1 – §3): the optional forced colour
/// mode and the size matcher on the raw frame, then the input scale and the padding to the max stride, all on uint8
/// pixels; only then the cast to float (÷ 255) and, inside the network, the conversion to the model's channels on
/// floats. Holds the resize and its buffers: one per stage.
/// </summary>
internal sealed class SleapNnPreprocessing
{
    // One resize for each step, so that each keeps its weight tables for its own sizes from frame to frame.
    private readonly AntialiasedResize _sizeMatch = new();
    private readonly AntialiasedResize _inputScale = new();
    private byte[] _scaled = [];
    private byte[] _colour = [];

    /// <summary>(int(height · scale), int(width · scale)) in double, truncated, as sleap-nn's resize_image computes it.</summary>
    public static (int Height, int Width) ScaledSize(int height, int width, double scale)
    {
        if (!(scale > 0))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The input scale must be greater than 0.");
        return scale == 1.0 ? (height, width) : ((int)(height * scale), (int)(width * scale));
    }

    /// <summary>The scaled size padded up to a multiple of <paramref name="padToStride"/> (none when it is 1 or less).</summary>
    public static (int Height, int Width) NetworkInputSize(int height, int width, double scale, int padToStride)
    {
        var (h, w) = ScaledSize(height, width, scale);
        return (ImagePreprocessor.PadToStride(h, padToStride), ImagePreprocessor.PadToStride(w, padToStride));
    }

    /// <summary>
    /// The frame as sleap-nn's inference layer sizes it (§1): 1 → 3 channels by repetition when ensure_rgb is set, 3 → 1
    /// by torchvision's grayscale (truncated to uint8) when ensure_grayscale is set; then, when the frame differs from
    /// (max_height, max_width) (a missing one meaning the frame's own), the size matcher: the ratio
    /// r = min(max_height / height, max_width / width), the frame resized to (round(height · r), round(width · r)) and
    /// zero padded right and below to the target. The returned scale is r (float32; 1 when not resized), which points
    /// are divided by at the end.
    /// </summary>
    public PreparedImage PrepareFrame(FrameInput frame, PreprocessingConfig config, ref byte[] buffer)
    {
        byte[] pixels = frame.Pixels;
        int height = frame.Height, width = frame.Width, channels = frame.Channels;
        int targetHeight = config.TargetHeight ?? height, targetWidth = config.TargetWidth ?? width;
        bool resize = targetHeight != height || targetWidth != width;

        int forced = config.EnsureRgb && channels != 3 ? 3 : config.EnsureGrayscale && channels != 1 ? 1 : channels;
        if (forced != channels)
        {
            int pixelCount = height * width;
            // The size matcher reads the converted pixels; only the last step's result has to outlive this frame.
            ref byte[] into = ref (resize ? ref _colour : ref buffer);
            Growable.Ensure(ref into, pixelCount * forced);
            ForceChannels(pixels, pixelCount, channels, forced, into);
            (pixels, channels) = (into, forced);
        }

        if (!resize)
            return new PreparedImage(pixels, height, width, channels, 1f);

        double heightRatio = targetHeight / (double)height, widthRatio = targetWidth / (double)width;
        double ratio = heightRatio > widthRatio ? widthRatio : heightRatio;
        // Python's round: half to even, on the double product.
        int fitHeight = (int)Math.Round(height * ratio, MidpointRounding.ToEven);
        int fitWidth = (int)Math.Round(width * ratio, MidpointRounding.ToEven);
        int bytes = targetHeight * targetWidth * channels;
        Growable.Ensure(ref buffer, bytes);
        var target = buffer.AsSpan(0, bytes);
        target.Clear();
        _sizeMatch.Resize(new ReadOnlySpan<byte>(pixels, 0, height * width * channels), height, width, channels, target, fitHeight, fitWidth, targetWidth);
        return new PreparedImage(buffer, targetHeight, targetWidth, channels, (float)ratio);
    }

    /// <summary>
    /// One uint8 HWC image into the float network input (§2, §3): resized by <paramref name="scale"/> to
    /// <see cref="ScaledSize"/> (torchvision's antialiased bilinear, rounded back to uint8), each byte divided by 255,
    /// converted to <paramref name="modelChannels"/> on floats (1 → 3 repeats; 3 → 1 is 0.2989 R + 0.587 G + 0.114 B),
    /// and zero padded right and below to <paramref name="destHeight"/> x <paramref name="destWidth"/>.
    /// </summary>
    public void ToNetworkInput(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<float> destinationHwc, int destHeight, int destWidth)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 (grayscale) or 3 (RGB) channels.");
        if (modelChannels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(modelChannels), modelChannels, "Models take 1 (grayscale) or 3 (RGB) channels.");
        if (hwc.Length < height * width * channels)
            throw new ArgumentException($"A {height}x{width}x{channels} image needs {height * width * channels} bytes; got {hwc.Length}.", nameof(hwc));
        var (outHeight, outWidth) = NetworkInputSize(height, width, scale, padToStride);
        if (destHeight < outHeight || destWidth < outWidth)
            throw new ArgumentException($"A {height}x{width} image at scale {scale} padded to stride {padToStride} needs {outHeight}x{outWidth}; the destination is {destHeight}x{destWidth}.");
        if (destinationHwc.Length < destHeight * destWidth * modelChannels)
            throw new ArgumentException($"The destination needs {destHeight * destWidth * modelChannels} floats; got {destinationHwc.Length}.", nameof(destinationHwc));

        var (scaledHeight, scaledWidth) = ScaledSize(height, width, scale);
        var source = Scaled(hwc, height, width, channels, scaledHeight, scaledWidth);

        var destination = destinationHwc[..(destHeight * destWidth * modelChannels)];
        for (int y = 0; y < scaledHeight; y++)
        {
            var row = destination.Slice(y * destWidth * modelChannels, destWidth * modelChannels);
            ConvertRow(source.Slice(y * scaledWidth * channels, scaledWidth * channels), scaledWidth, channels, modelChannels, row);
            row[(scaledWidth * modelChannels)..].Clear();
        }
        destination[(scaledHeight * destWidth * modelChannels)..].Clear();
    }

    /// <summary>The image resized to the scaled size (into a buffer reused from frame to frame), or itself when the size is the same.</summary>
    private ReadOnlySpan<byte> Scaled(ReadOnlySpan<byte> hwc, int height, int width, int channels, int scaledHeight, int scaledWidth)
    {
        if (scaledHeight == height && scaledWidth == width) return hwc;
        int bytes = scaledHeight * scaledWidth * channels;
        Growable.Ensure(ref _scaled, bytes);
        _inputScale.Resize(hwc, height, width, channels, _scaled, scaledHeight, scaledWidth, scaledWidth);
        return new ReadOnlySpan<byte>(_scaled, 0, bytes);
    }

    /// <summary>
    /// <see cref="ToNetworkInput"/> without the division by 255, for a graph whose byte-input front does it
    /// (docs/design/gpu.md §3): the uint8 resize, 1 → 3 channels by repetition (the same values as repeating after the
    /// division) and the zero padding. 3 → 1 converts on floats, which a byte front cannot reproduce: InvalidOperationException.
    /// </summary>
    public void ToNetworkBytes(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<byte> destinationHwc, int destHeight, int destWidth)
    {
        if (channels == 3 && modelChannels == 1)
            throw new InvalidOperationException("sleap-nn converts 3 channels to 1 on floats; a 1-channel model fed colour frames keeps its float input.");
        if (channels is not (1 or 3) || modelChannels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images and models have 1 (grayscale) or 3 (RGB) channels.");
        if (hwc.Length < height * width * channels)
            throw new ArgumentException($"A {height}x{width}x{channels} image needs {height * width * channels} bytes; got {hwc.Length}.", nameof(hwc));
        var (outHeight, outWidth) = NetworkInputSize(height, width, scale, padToStride);
        if (destHeight < outHeight || destWidth < outWidth || destinationHwc.Length < destHeight * destWidth * modelChannels)
            throw new ArgumentException($"A {height}x{width} image at scale {scale} padded to stride {padToStride} needs {outHeight}x{outWidth}x{modelChannels} bytes; the destination is {destHeight}x{destWidth} ({destinationHwc.Length} bytes).");

        var (scaledHeight, scaledWidth) = ScaledSize(height, width, scale);
        var source = Scaled(hwc, height, width, channels, scaledHeight, scaledWidth);
        for (int y = 0; y < scaledHeight; y++)
        {
            var row = destinationHwc.Slice(y * destWidth * modelChannels, destWidth * modelChannels);
            var sourceRow = source.Slice(y * scaledWidth * channels, scaledWidth * channels);
            if (channels == modelChannels)
                sourceRow.CopyTo(row);
            else
                for (int x = 0; x < scaledWidth; x++)
                    row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = sourceRow[x];
            row[(scaledWidth * modelChannels)..].Clear();
        }
        destinationHwc[(scaledHeight * destWidth * modelChannels)..(destHeight * destWidth * modelChannels)].Clear();
    }

    // uint8 / 255 (a float division, as x.float() / 255.0), then the model's channel conversion on floats.
    private static void ConvertRow(ReadOnlySpan<byte> source, int width, int channels, int modelChannels, Span<float> row)
    {
        if (channels == modelChannels)
        {
            for (int i = 0; i < width * channels; i++)
                row[i] = source[i] / 255f;
        }
        else if (modelChannels == 3)
        {
            for (int x = 0; x < width; x++)
                row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = source[x] / 255f;
        }
        else
        {
            for (int x = 0; x < width; x++)
                row[x] = Luma(source[3 * x] / 255f, source[3 * x + 1] / 255f, source[3 * x + 2] / 255f);
        }
    }

    /// <summary>torchvision's rgb_to_grayscale on floats: r·0.2989, then + 0.587·g and + 0.114·b as fused multiply-adds (ATen's vectorised add with alpha).</summary>
    internal static float Luma(float r, float g, float b) =>
        MathF.FusedMultiplyAdd(b, 0.114f, MathF.FusedMultiplyAdd(g, 0.587f, r * 0.2989f));

    // ensure_rgb / ensure_grayscale on uint8: repetition, or the float luma truncated back to uint8.
    private static void ForceChannels(byte[] pixels, int pixelCount, int channels, int forced, byte[] destination)
    {
        if (forced == 3)
        {
            for (int i = 0; i < pixelCount; i++)
                destination[3 * i] = destination[3 * i + 1] = destination[3 * i + 2] = pixels[i];
        }
        else
        {
            for (int i = 0; i < pixelCount; i++)
                destination[i] = (byte)Luma(pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]);
        }
    }
}
