namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// Writes frames as the uint8 NCHW <c>image</c> a sleap-nn export takes (docs/design/sleap-nn-exports.md §2): each frame
/// at its own size, bytes unchanged, with the export's channel count.
/// </summary>
/// <remarks>
/// sleap-nn's export runtime passes frames through untouched, so a grey video on an RGB export (or the reverse) fails
/// in ONNX Runtime there. SleapPS converts instead, the way sleap-nn's checkpoint pipeline does for
/// <c>ensure_rgb</c>/<c>ensure_grayscale</c>: grey is repeated into three channels; RGB becomes
/// 0.2989·R + 0.587·G + 0.114·B in float32, truncated to a byte (torchvision's <c>rgb_to_grayscale</c> on uint8).
/// </remarks>
public static class ExportImages
{
    /// <summary>Writes one HWC frame (1 or 3 channels) into <paramref name="nchw"/> as <paramref name="channels"/> planes.</summary>
    public static void Write(ReadOnlySpan<byte> hwc, int height, int width, int frameChannels, int channels, Span<byte> nchw)
    {
        int plane = height * width;
        if (frameChannels is not (1 or 3) || channels is not (1 or 3))
            throw new ArgumentException($"Frames and exports have 1 or 3 channels; got {frameChannels} and {channels}.");
        if (hwc.Length < plane * frameChannels || nchw.Length < plane * channels)
            throw new ArgumentException($"A {height}x{width} frame needs {plane * frameChannels} bytes in and {plane * channels} out.");

        if (frameChannels == channels && channels == 1)
        {
            hwc[..plane].CopyTo(nchw);
        }
        else if (frameChannels == channels)
        {
            for (int i = 0; i < plane; i++)
            {
                nchw[i] = hwc[3 * i];
                nchw[plane + i] = hwc[3 * i + 1];
                nchw[2 * plane + i] = hwc[3 * i + 2];
            }
        }
        else if (channels == 3)
        {
            hwc[..plane].CopyTo(nchw);
            hwc[..plane].CopyTo(nchw[plane..]);
            hwc[..plane].CopyTo(nchw[(2 * plane)..]);
        }
        else
        {
            for (int i = 0; i < plane; i++)
            {
                float grey = 0.2989f * hwc[3 * i] + 0.587f * hwc[3 * i + 1] + 0.114f * hwc[3 * i + 2];
                nchw[i] = (byte)grey;
            }
        }
    }
}
