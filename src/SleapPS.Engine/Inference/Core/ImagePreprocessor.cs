namespace SleapPS.Engine.Inference.Core;

/// <summary>SLEAP's image preprocessing (inference.md §3.2 - §3.4).</summary>
public static class ImagePreprocessor
{
    /// <summary>The size the network sees: (int(dim * scale)) padded up to a multiple of <paramref name="padToStride"/>.</summary>
    public static (int Height, int Width) OutputSize(int height, int width, double scale, int padToStride) => throw new NotImplementedException();

    /// <summary>(int(height * scale), int(width * scale)) computed in float32 as TF does.</summary>
    public static (int Height, int Width) ScaledSize(int height, int width, double scale) => throw new NotImplementedException();

    /// <summary>In-model preprocessing (§3.3): colour, uint8 -> float, resize by scale, zero pad bottom/right into the destination.</summary>
    public static void ToModelInput(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels, double scale, int padToStride,
        Span<float> destinationHwc, int destHeight, int destWidth) => throw new NotImplementedException();

    /// <summary>TF bilinear resize (half-pixel centres, no antialias) of float HWC data.</summary>
    public static void ResizeBilinear(ReadOnlySpan<float> source, int height, int width, int channels, Span<float> destination, int outHeight, int outWidth) =>
        throw new NotImplementedException();

    /// <summary>TF bilinear resize of uint8 HWC data, cast back to uint8 by truncation.</summary>
    public static void ResizeBilinear(ReadOnlySpan<byte> source, int height, int width, int channels, Span<byte> destination, int outHeight, int outWidth) =>
        throw new NotImplementedException();

    /// <summary>SizeMatcher (§3.2 step 1).</summary>
    public static (byte[] Pixels, int Height, int Width, double Scale) MatchSize(byte[] hwc, int height, int width, int channels, int targetHeight, int targetWidth) =>
        throw new NotImplementedException();

    /// <summary>Colour conversion on uint8 pixels (§3.4).</summary>
    public static void ConvertColour(ReadOnlySpan<byte> hwc, int pixelCount, int channels, int targetChannels, Span<byte> destination) =>
        throw new NotImplementedException();
}
