namespace SleapPS.Engine.Inference.Core;

/// <summary>tf.image.crop_and_resize as SLEAP's crop_bboxes uses it (inference.md §3.5).</summary>
public static class CropExtractor
{
    /// <summary>A size x size uint8 crop centred on (cx, cy), into <paramref name="destination"/> (size * size * channels bytes).</summary>
    public static void Crop(ReadOnlySpan<byte> hwc, int height, int width, int channels, double cx, double cy, int size, Span<byte> destination) =>
        throw new NotImplementedException();
}
