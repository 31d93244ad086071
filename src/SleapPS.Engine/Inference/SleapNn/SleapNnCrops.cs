namespace SleapPS.Engine.Inference.SleapNn;

/// <summary>
/// sleap-nn's top-down crops (docs/design/sleap-nn-inference.md §6): whole pixels of the (size-matched) uint8 frame, no
/// interpolation, and keypoints placed back by the box's fractional corner.
/// </summary>
internal static class SleapNnCrops
{
    /// <summary>
    /// The box corner along one axis, float32 as make_centered_bboxes computes it: (c − size/2) + 0.5. Crop keypoints plus
    /// this are frame pixels; the crop itself starts at the whole pixel <see cref="FirstPixel"/>.
    /// </summary>
    public static float Corner(float centre, int size) => (centre - size / 2f) + 0.5f;

    /// <summary>The first frame pixel of the crop along one axis: trunc(corner + size div 2) − size div 2 (crop_bboxes).</summary>
    public static int FirstPixel(float centre, int size)
    {
        int half = size / 2;
        return (int)(Corner(centre, size) + half) - half;
    }

    /// <summary>Copies the size x size crop starting at <see cref="FirstPixel"/> of each axis; pixels outside the frame are 0.</summary>
    public static void Cut(ReadOnlySpan<byte> hwc, int height, int width, int channels, float cx, float cy, int size, Span<byte> destination)
    {
        if (height <= 0 || width <= 0 || channels <= 0 || hwc.Length < height * width * channels)
            throw new ArgumentException($"A {height}x{width}x{channels} image needs {height * width * channels} bytes; got {hwc.Length}.", nameof(hwc));
        if (size < 1)
            throw new ArgumentOutOfRangeException(nameof(size), size, "The crop size must be at least 1.");
        int rowBytes = size * channels;
        if (destination.Length < size * rowBytes)
            throw new ArgumentException($"A {size}x{size}x{channels} crop needs {size * rowBytes} bytes; got {destination.Length}.", nameof(destination));

        int left = FirstPixel(cx, size), top = FirstPixel(cy, size);
        // The columns of the crop that lie inside the frame.
        int firstColumn = Math.Clamp(-left, 0, size), lastColumn = Math.Clamp(width - left, 0, size);
        for (int i = 0; i < size; i++)
        {
            var row = destination.Slice(i * rowBytes, rowBytes);
            int y = top + i;
            if (y < 0 || y >= height || firstColumn >= lastColumn)
            {
                row.Clear();
                continue;
            }
            row[..(firstColumn * channels)].Clear();
            hwc.Slice((y * width + left + firstColumn) * channels, (lastColumn - firstColumn) * channels).CopyTo(row[(firstColumn * channels)..]);
            row[(lastColumn * channels)..].Clear();
        }
    }
}
