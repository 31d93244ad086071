using SleapPS.Engine.Frames;

namespace SleapPS.Tests.Models.Reference;

/// <summary>
/// A network input as SLEAP feeds it (docs/design/inference.md §3.3): float32 NHWC in [0, 1], scaled and padded.
/// Kept as float32 because that is what ONNX Runtime receives; <see cref="ToTensor64"/> widens the
/// very same values for the reference, so both sides see identical inputs.
/// </summary>
public sealed record NetworkInput(int[] Shape, float[] Values)
{
    public Tensor64 ToTensor64() => new(Shape, Array.ConvertAll(Values, v => (double)v));

    /// <summary>Uniform [0, 1) values from a fixed seed.</summary>
    public static NetworkInput Random(int n, int h, int w, int c, int seed)
    {
        var random = new Random(seed);
        var values = new float[n * h * w * c];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        return new NetworkInput([n, h, w, c], values);
    }

    /// <summary>One frame decoded as SLEAP sees it (HWC uint8), converted with x * float32(1/255).</summary>
    public static NetworkInput Frame(string videoPath, long frameIndex)
    {
        using var source = FrameSources.Open(FrameSources.DescribeFile(videoPath));
        byte[] pixels = source.ReadFrame(frameIndex);
        const float inverse255 = 1f / 255f;
        return new NetworkInput([1, source.Height, source.Width, source.Channels], Array.ConvertAll(pixels, p => p * inverse255));
    }

    /// <summary>Bilinear resize with half-pixel centres to (int(H*s), int(W*s)), as SLEAP applies input_scaling.</summary>
    public NetworkInput Scaled(double scale)
    {
        var resized = ReferenceOps.ResizeBilinearHalfPixel(ToTensor64(), (int)(Shape[1] * scale), (int)(Shape[2] * scale));
        return new NetworkInput(resized.Shape, Array.ConvertAll(resized.Data, v => (float)v));
    }

    /// <summary>Zero padding at the bottom and right up to multiples of <paramref name="stride"/>.</summary>
    public NetworkInput PaddedTo(int stride)
    {
        int h = Shape[1], w = Shape[2];
        int paddedH = h + (stride - h % stride) % stride, paddedW = w + (stride - w % stride) % stride;
        return Window(0, 0, paddedH, paddedW);
    }

    /// <summary>A height x width crop centred on (centerX, centerY), pixel-aligned; cells outside the image are zero.</summary>
    public NetworkInput CropAround(double centerX, double centerY, int height, int width) =>
        Window((int)Math.Round(centerY - (height - 1) / 2.0), (int)Math.Round(centerX - (width - 1) / 2.0), height, width);

    private NetworkInput Window(int top, int left, int height, int width)
    {
        int n = Shape[0], h = Shape[1], w = Shape[2], c = Shape[3];
        var values = new float[n * height * width * c];
        for (int b = 0; b < n; b++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int sy = top + y, sx = left + x;
                    if (sy < 0 || sy >= h || sx < 0 || sx >= w) continue;
                    Array.Copy(Values, ((b * h + sy) * w + sx) * c, values, ((b * height + y) * width + x) * c, c);
                }
        return new NetworkInput([n, height, width, c], values);
    }
}
