using System.Buffers;
using System.Runtime.Intrinsics;

namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// SLEAP's image preprocessing (docs/design/inference.md §3.2 - §3.4) on HWC images, with TF's float32 arithmetic: size matching,
/// colour conversion, uint8 to float, bilinear resizing (half-pixel centres, no antialias) and bottom/right zero padding.
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>float32(1/255): TF's convert_image_dtype factor from uint8 to float.</summary>
    public const float ByteToFloat = 1f / 255f;

    /// <summary>
    /// The size the network sees (docs/design/inference.md §3.3): <see cref="ScaledSize"/>, then padded up to a multiple of
    /// <paramref name="padToStride"/> (no padding when it is 1 or less).
    /// </summary>
    public static (int Height, int Width) OutputSize(int height, int width, double scale, int padToStride)
    {
        var (scaledHeight, scaledWidth) = ScaledSize(height, width, scale);
        return (PadToStride(scaledHeight, padToStride), PadToStride(scaledWidth, padToStride));
    }

    /// <summary>(int(height * scale), int(width * scale)), the product in float32 and truncated, as SLEAP's resize_image computes it.</summary>
    public static (int Height, int Width) ScaledSize(int height, int width, double scale)
    {
        if (!(scale > 0))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The input scale must be greater than 0.");
        float s = (float)scale;
        return ((int)(height * s), (int)(width * s));
    }

    /// <summary>The dimension padded up to a multiple of the stride: dim + (stride - dim % stride) % stride.</summary>
    public static int PadToStride(int dimension, int stride) =>
        stride > 1 ? dimension + (stride - dimension % stride) % stride : dimension;

    /// <summary>
    /// SLEAP's in-model preprocessing (InferenceLayer.preprocess, docs/design/inference.md §3.3) of one uint8 frame into the float
    /// network input: colour conversion to <paramref name="modelChannels"/> on the uint8 pixels (docs/design/inference.md §3.4), uint8 to float
    /// (x * float32(1/255)), a bilinear resize to <see cref="ScaledSize"/> when <paramref name="scale"/> is not 1, then
    /// zeros right of and below the image up to <paramref name="destHeight"/> x <paramref name="destWidth"/> (which must
    /// hold <see cref="OutputSize"/>; a batch of one size may use a larger destination).
    /// </summary>
    public static void ToModelInput(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<float> destinationHwc, int destHeight, int destWidth)
    {
        CheckImage(hwc.Length, height, width, channels, nameof(hwc));
        CheckChannels(modelChannels, nameof(modelChannels));
        var (outHeight, outWidth) = OutputSize(height, width, scale, padToStride);
        if (destHeight < outHeight || destWidth < outWidth)
            throw new ArgumentException($"A {height}x{width} image at scale {scale} padded to stride {padToStride} needs {outHeight}x{outWidth}; the destination is {destHeight}x{destWidth}.");
        if (destinationHwc.Length < destHeight * destWidth * modelChannels)
            throw new ArgumentException($"The destination needs {destHeight * destWidth * modelChannels} floats; got {destinationHwc.Length}.", nameof(destinationHwc));

        var destination = destinationHwc[..(destHeight * destWidth * modelChannels)];
        var (scaledHeight, scaledWidth) = ScaledSize(height, width, scale);
        if ((float)scale == 1f)
        {
            // No resize: colour-convert and scale straight into the padded destination.
            ConvertToFloat(hwc, height, width, channels, modelChannels, destination, destWidth);
        }
        else
        {
            RowStreamResize.FromBytes(hwc, height, width, channels, modelChannels, destination, scaledHeight, scaledWidth, destWidth);
        }
        ZeroPadding(destination, scaledHeight, scaledWidth, destHeight, destWidth, modelChannels);
    }

    /// <summary>
    /// <see cref="ToModelInput"/> at scale 1 without the multiply by float32(1/255), for a graph whose byte-input front
    /// does it (docs/design/gpu.md §3): the colour conversion on uint8 and the zero padding. A scale other than 1 resizes
    /// in float32 after the multiply, which a byte front cannot reproduce: InvalidOperationException.
    /// </summary>
    public static void ToModelBytes(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<byte> destinationHwc, int destHeight, int destWidth)
    {
        if ((float)scale != 1f)
            throw new InvalidOperationException($"Input scale {scale} resizes in float32 after the uint8 conversion; a model at that scale keeps its float input.");
        CheckImage(hwc.Length, height, width, channels, nameof(hwc));
        CheckChannels(modelChannels, nameof(modelChannels));
        var (outHeight, outWidth) = OutputSize(height, width, scale, padToStride);
        if (destHeight < outHeight || destWidth < outWidth || destinationHwc.Length < destHeight * destWidth * modelChannels)
            throw new ArgumentException($"A {height}x{width} image padded to stride {padToStride} needs {outHeight}x{outWidth}x{modelChannels} bytes; the destination is {destHeight}x{destWidth} ({destinationHwc.Length} bytes).");
        for (int y = 0; y < height; y++)
        {
            var row = destinationHwc.Slice(y * destWidth * modelChannels, destWidth * modelChannels);
            ConvertColour(hwc.Slice(y * width * channels, width * channels), width, channels, modelChannels, row);
            row[(width * modelChannels)..].Clear();
        }
        destinationHwc[(height * destWidth * modelChannels)..(destHeight * destWidth * modelChannels)].Clear();
    }

    /// <summary>TF's bilinear resize (half-pixel centres, no antialias) of float HWC data to <paramref name="outHeight"/> x <paramref name="outWidth"/>.</summary>
    public static void ResizeBilinear(ReadOnlySpan<float> source, int height, int width, int channels, Span<float> destination, int outHeight, int outWidth)
    {
        CheckImage(source.Length, height, width, channels, nameof(source));
        CheckOutput(destination.Length, outHeight, outWidth, channels);
        Resize(source, height, width, channels, destination, outHeight, outWidth, outWidth);
    }

    /// <summary>
    /// TF's bilinear resize of uint8 HWC data, the float result cast back to uint8 by truncation (SLEAP's resize_image on
    /// uint8 frames, e.g. the top-down pre-crop resize, docs/design/inference.md §9.2).
    /// </summary>
    public static void ResizeBilinear(ReadOnlySpan<byte> source, int height, int width, int channels, Span<byte> destination, int outHeight, int outWidth)
    {
        CheckImage(source.Length, height, width, channels, nameof(source));
        CheckOutput(destination.Length, outHeight, outWidth, channels);
        Resize(source, height, width, channels, destination, outHeight, outWidth, outWidth);
    }

    /// <summary>
    /// Resizes a uint8 frame by <paramref name="scale"/> as SLEAP's resize_image does (size from <see cref="ScaledSize"/>,
    /// truncated back to uint8); returns the new pixels and size.
    /// </summary>
    public static (byte[] Pixels, int Height, int Width) Rescale(ReadOnlySpan<byte> hwc, int height, int width, int channels, double scale)
    {
        var (outHeight, outWidth) = ScaledSize(height, width, scale);
        var pixels = new byte[outHeight * outWidth * channels];
        ResizeBilinear(hwc, height, width, channels, pixels, outHeight, outWidth);
        return (pixels, outHeight, outWidth);
    }

    /// <summary>
    /// SLEAP's SizeMatcher (docs/design/inference.md §3.2 step 1): a frame of the target size is returned as is (scale 1); otherwise
    /// the ratio r = min(targetHeight / height, targetWidth / width) (float32) gives the size (int(height r), targetWidth)
    /// or (targetHeight, int(width r)), the frame is resized to it as TF's resize_with_pad does, zero padded
    /// bottom/right to the target and truncated to uint8. Points of the result map back as point / r.
    /// </summary>
    public static (byte[] Pixels, int Height, int Width, double Scale) MatchSize(byte[] hwc, int height, int width, int channels, int targetHeight, int targetWidth)
    {
        ArgumentNullException.ThrowIfNull(hwc);
        CheckImage(hwc.Length, height, width, channels, nameof(hwc));
        if (targetHeight <= 0 || targetWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(targetHeight), $"The target size {targetHeight}x{targetWidth} must be positive.");
        if (height == targetHeight && width == targetWidth)
            return (hwc, height, width, 1.0);

        float heightRatio = targetHeight / (float)height, widthRatio = targetWidth / (float)width;
        float ratio;
        int fitHeight, fitWidth;
        if (heightRatio > widthRatio)
        {
            ratio = widthRatio;
            fitHeight = (int)(height * widthRatio);
            fitWidth = targetWidth;
        }
        else
        {
            ratio = heightRatio;
            fitHeight = targetHeight;
            fitWidth = (int)(width * heightRatio);
        }

        // tf.image.resize_with_pad(image, fitHeight, fitWidth): its own ratio, floor sizes, centred padding (0 or so here).
        float padRatio = MathF.Max(width / (float)fitWidth, height / (float)fitHeight);
        float resizedHeightFloat = height / padRatio, resizedWidthFloat = width / padRatio;
        int resizedHeight = (int)MathF.Floor(resizedHeightFloat), resizedWidth = (int)MathF.Floor(resizedWidthFloat);
        int top = Math.Max(0, (int)MathF.Floor((fitHeight - resizedHeightFloat) / 2));
        int left = Math.Max(0, (int)MathF.Floor((fitWidth - resizedWidthFloat) / 2));

        var result = new byte[targetHeight * targetWidth * channels];
        var placed = result.AsSpan((top * targetWidth + left) * channels);
        Resize(hwc, height, width, channels, placed, resizedHeight, resizedWidth, targetWidth);
        return (result, targetHeight, targetWidth, ratio);
    }

    /// <summary>
    /// Colour conversion of uint8 pixels (docs/design/inference.md §3.4): 3 -> 1 channel is TF's rgb_to_grayscale,
    /// g = trunc(255.5 * (0.2989 R' + 0.587 G' + 0.114 B')) with X' = X * float32(1/255), in float32;
    /// 1 -> 3 copies the channel; equal counts copy.
    /// </summary>
    public static void ConvertColour(ReadOnlySpan<byte> hwc, int pixelCount, int channels, int targetChannels, Span<byte> destination)
    {
        CheckChannels(channels, nameof(channels));
        CheckChannels(targetChannels, nameof(targetChannels));
        if (hwc.Length < pixelCount * channels)
            throw new ArgumentException($"{pixelCount} pixels of {channels} channel(s) need {pixelCount * channels} bytes; got {hwc.Length}.", nameof(hwc));
        if (destination.Length < pixelCount * targetChannels)
            throw new ArgumentException($"The destination needs {pixelCount * targetChannels} bytes; got {destination.Length}.", nameof(destination));
        if (channels == targetChannels)
        {
            hwc[..(pixelCount * channels)].CopyTo(destination);
        }
        else if (targetChannels == 1)
        {
            for (int i = 0; i < pixelCount; i++)
                destination[i] = Gray(hwc[3 * i], hwc[3 * i + 1], hwc[3 * i + 2]);
        }
        else
        {
            for (int i = 0; i < pixelCount; i++)
                destination[3 * i] = destination[3 * i + 1] = destination[3 * i + 2] = hwc[i];
        }
    }

    /// <summary>TF's rgb_to_grayscale of one uint8 pixel.</summary>
    public static byte Gray(byte r, byte g, byte b)
    {
        float gray = r * ByteToFloat * 0.2989f + g * ByteToFloat * 0.587f + b * ByteToFloat * 0.114f;
        // convert_image_dtype back to uint8: multiply by 255.5 and saturate-cast (truncating).
        float scaled = gray * 255.5f;
        return scaled <= 0 ? (byte)0 : scaled >= 255 ? (byte)255 : (byte)scaled;
    }

    // Colour conversion on uint8 (as SLEAP converts before the float cast) and x * float32(1/255), into rows of destWidth pixels.
    private static void ConvertToFloat(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, Span<float> destination, int destWidth)
    {
        for (int y = 0; y < height; y++)
            ConvertRowToFloat(hwc.Slice(y * width * channels, width * channels), width, channels, modelChannels,
                destination.Slice(y * destWidth * modelChannels, width * modelChannels));
    }

    /// <summary>One row of <paramref name="width"/> pixels: colour conversion on uint8 to <paramref name="modelChannels"/>, then x * float32(1/255).</summary>
    internal static void ConvertRowToFloat(ReadOnlySpan<byte> sourceRow, int width, int channels, int modelChannels, Span<float> row)
    {
        if (channels == modelChannels)
        {
            int n = width * channels, i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                // Bytes widened to int32 and converted exactly, then the same float multiply as below.
                var factor = Vector256.Create(ByteToFloat);
                for (; i + 32 <= n; i += 32)
                {
                    var bytes = Vector256.Create(sourceRow.Slice(i, 32));
                    var (low, high) = Vector256.Widen(bytes);
                    var (a, b) = Vector256.Widen(low);
                    var (c, d) = Vector256.Widen(high);
                    (Vector256.ConvertToSingle(a.AsInt32()) * factor).CopyTo(row.Slice(i, 8));
                    (Vector256.ConvertToSingle(b.AsInt32()) * factor).CopyTo(row.Slice(i + 8, 8));
                    (Vector256.ConvertToSingle(c.AsInt32()) * factor).CopyTo(row.Slice(i + 16, 8));
                    (Vector256.ConvertToSingle(d.AsInt32()) * factor).CopyTo(row.Slice(i + 24, 8));
                }
            }
            for (; i < n; i++)
                row[i] = sourceRow[i] * ByteToFloat;
        }
        else if (modelChannels == 1)
        {
            for (int x = 0; x < width; x++)
                row[x] = Gray(sourceRow[3 * x], sourceRow[3 * x + 1], sourceRow[3 * x + 2]) * ByteToFloat;
        }
        else
        {
            for (int x = 0; x < width; x++)
                row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = sourceRow[x] * ByteToFloat;
        }
    }

    private static void ZeroPadding(Span<float> destination, int height, int width, int destHeight, int destWidth, int channels)
    {
        if (width < destWidth)
            for (int y = 0; y < height; y++)
                destination.Slice((y * destWidth + width) * channels, (destWidth - width) * channels).Clear();
        destination[(height * destWidth * channels)..].Clear();
    }

    // TF ResizeBilinear (half-pixel centres) on float data into rows of destRowPixels pixels.
    private static void Resize(ReadOnlySpan<float> source, int height, int width, int channels, Span<float> destination, int outHeight, int outWidth, int destRowPixels)
    {
        using var table = new WeightTable(height, width, outHeight, outWidth);
        var rows = table.Rows;
        var cols = table.Columns;
        for (int y = 0; y < outHeight; y++)
        {
            var upperRow = source.Slice(rows.Lower[y] * width * channels, width * channels);
            var lowerRow = source.Slice(rows.Upper[y] * width * channels, width * channels);
            float yLerp = rows.Lerp[y];
            var row = destination.Slice(y * destRowPixels * channels, outWidth * channels);
            for (int x = 0; x < outWidth; x++)
            {
                int left = cols.Lower[x] * channels, right = cols.Upper[x] * channels;
                float xLerp = cols.Lerp[x];
                for (int c = 0; c < channels; c++)
                {
                    float top = upperRow[left + c] + (upperRow[right + c] - upperRow[left + c]) * xLerp;
                    float bottom = lowerRow[left + c] + (lowerRow[right + c] - lowerRow[left + c]) * xLerp;
                    row[x * channels + c] = top + (bottom - top) * yLerp;
                }
            }
        }
    }

    // The same on uint8 data (TF reads each value as float), truncated back to uint8.
    private static void Resize(ReadOnlySpan<byte> source, int height, int width, int channels, Span<byte> destination, int outHeight, int outWidth, int destRowPixels)
    {
        using var table = new WeightTable(height, width, outHeight, outWidth);
        var rows = table.Rows;
        var cols = table.Columns;
        for (int y = 0; y < outHeight; y++)
        {
            var upperRow = source.Slice(rows.Lower[y] * width * channels, width * channels);
            var lowerRow = source.Slice(rows.Upper[y] * width * channels, width * channels);
            float yLerp = rows.Lerp[y];
            var row = destination.Slice(y * destRowPixels * channels, outWidth * channels);
            for (int x = 0; x < outWidth; x++)
            {
                int left = cols.Lower[x] * channels, right = cols.Upper[x] * channels;
                float xLerp = cols.Lerp[x];
                for (int c = 0; c < channels; c++)
                {
                    float topLeft = upperRow[left + c], topRight = upperRow[right + c];
                    float bottomLeft = lowerRow[left + c], bottomRight = lowerRow[right + c];
                    float top = topLeft + (topRight - topLeft) * xLerp;
                    float bottom = bottomLeft + (bottomRight - bottomLeft) * xLerp;
                    row[x * channels + c] = (byte)(top + (bottom - top) * yLerp);
                }
            }
        }
    }

    /// <summary>Both axes' interpolation tables in pooled arrays.</summary>
    private readonly ref struct WeightTable
    {
        private readonly int[] _indices;
        private readonly float[] _lerps;

        public WeightTable(int height, int width, int outHeight, int outWidth)
        {
            if (outHeight <= 0 || outWidth <= 0)
                throw new ArgumentException($"Cannot resize to {outHeight}x{outWidth}.");
            int total = outHeight + outWidth;
            _indices = ArrayPool<int>.Shared.Rent(2 * total);
            _lerps = ArrayPool<float>.Shared.Rent(total);
            Rows = new BilinearWeights(height, outHeight, _indices.AsSpan(0, outHeight), _indices.AsSpan(total, outHeight), _lerps.AsSpan(0, outHeight));
            Columns = new BilinearWeights(width, outWidth, _indices.AsSpan(outHeight, outWidth), _indices.AsSpan(total + outHeight, outWidth), _lerps.AsSpan(outHeight, outWidth));
        }

        public BilinearWeights Rows { get; }

        public BilinearWeights Columns { get; }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(_indices);
            ArrayPool<float>.Shared.Return(_lerps);
        }
    }

    private static void CheckImage(int length, int height, int width, int channels, string name)
    {
        CheckChannels(channels, name);
        if (height <= 0 || width <= 0 || length < height * width * channels)
            throw new ArgumentException($"A {height}x{width}x{channels} image needs {height * width * channels} values; got {length}.", name);
    }

    private static void CheckOutput(int length, int height, int width, int channels)
    {
        if (height <= 0 || width <= 0 || length < height * width * channels)
            throw new ArgumentException($"A {height}x{width}x{channels} output needs {height * width * channels} values; got {length}.", "destination");
    }

    private static void CheckChannels(int channels, string name)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(name, channels, "Images have 1 (grayscale) or 3 (RGB) channels.");
    }
}
