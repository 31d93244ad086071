namespace SleapPS.Engine.Inference.Core;

/// <summary>tf.image.crop_and_resize as SLEAP's crop_bboxes uses it for instance crops (docs/design/inference.md §3.5, §9.3).</summary>
public static class CropExtractor
{
    /// <summary>
    /// Cuts a size x size crop centred on (<paramref name="cx"/>, <paramref name="cy"/>) (pixel-centre frame coordinates,
    /// taken as float32 like SLEAP's centroids) into <paramref name="destination"/> (size * size * channels bytes, HWC).
    /// Crop pixel (i, j) is read at frame position (cy - (size-1)/2 + i, cx - (size-1)/2 + j), bilinear between the 4
    /// neighbours; a pixel whose row or column position is outside [0, height-1] / [0, width-1] is 0 in every channel
    /// (no partial interpolation with the border). Values are truncated to uint8. The crop's top-left pixel is at
    /// c - (size-1)/2 in the frame; SLEAP's stored crop offset is c - size/2 (docs/design/inference.md §Q1), which is the caller's business.
    /// </summary>
    public static void Crop(ReadOnlySpan<byte> hwc, int height, int width, int channels, double cx, double cy, int size, Span<byte> destination)
    {
        if (height <= 0 || width <= 0 || channels <= 0 || hwc.Length < height * width * channels)
            throw new ArgumentException($"A {height}x{width}x{channels} image needs {height * width * channels} bytes; got {hwc.Length}.", nameof(hwc));
        if (size < 1)
            throw new ArgumentOutOfRangeException(nameof(size), size, "The crop size must be at least 1.");
        if (destination.Length < size * size * channels)
            throw new ArgumentException($"A {size}x{size}x{channels} crop needs {size * size * channels} bytes; got {destination.Length}.", nameof(destination));

        Span<float> rows = size <= 256 ? stackalloc float[size] : new float[size];
        Span<float> cols = size <= 256 ? stackalloc float[size] : new float[size];
        CropGeometry.Positions((float)cy, height, rows);
        CropGeometry.Positions((float)cx, width, cols);
        int rowStride = width * channels;
        for (int i = 0; i < size; i++)
        {
            var row = destination.Slice(i * size * channels, size * channels);
            float y = rows[i];
            if (float.IsNaN(y))
            {
                row.Clear();
                continue;
            }
            int top = (int)MathF.Floor(y), bottom = (int)MathF.Ceiling(y);
            float yLerp = y - top;
            var upper = hwc.Slice(top * rowStride, rowStride);
            var lower = hwc.Slice(bottom * rowStride, rowStride);
            for (int j = 0; j < size; j++)
            {
                var pixel = row.Slice(j * channels, channels);
                float x = cols[j];
                if (float.IsNaN(x))
                {
                    pixel.Clear();
                    continue;
                }
                int left = (int)MathF.Floor(x) * channels, right = (int)MathF.Ceiling(x) * channels;
                float xLerp = x - MathF.Floor(x);
                for (int c = 0; c < channels; c++)
                {
                    float topLeft = upper[left + c], topRight = upper[right + c];
                    float bottomLeft = lower[left + c], bottomRight = lower[right + c];
                    float topValue = topLeft + (topRight - topLeft) * xLerp;
                    float bottomValue = bottomLeft + (bottomRight - bottomLeft) * xLerp;
                    pixel[c] = (byte)(topValue + (bottomValue - topValue) * yLerp);
                }
            }
        }
    }
}
