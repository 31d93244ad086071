using System.Numerics;

namespace SleapPS.Engine.Inference.SleapNn;

/// <summary>
/// The resize sleap-nn applies to uint8 frames (torchvision's <c>resize</c>, bilinear with antialias, on a uint8 tensor;
/// docs/design/sleap-nn-inference.md §1): the bytes are read as float32, resampled along x and then along y with a
/// triangle filter whose support widens with the downscale factor (PIL's antialiased bilinear), and the float result is
/// rounded half to even back to bytes. Both passes keep float32 values, each output the weighted sum of its inputs in
/// source order with fused multiply-adds after the first product (ATen's kernel is compiled with FMA contraction, and exact
/// .5 ties at the image border round the way it does only then). An axis whose size does not change is not resampled.
/// HWC data, any channel count.
/// </summary>
/// <remarks>
/// Holds its weight tables and the float buffer between the two passes, so resizing frame after frame of one size
/// allocates nothing. Not thread-safe.
/// </remarks>
public sealed class AntialiasedResize
{
    private AxisWeights? _columns;
    private AxisWeights? _rows;
    private float[] _between = [];

    /// <summary>
    /// Resizes <paramref name="source"/> (<paramref name="height"/> x <paramref name="width"/> x <paramref name="channels"/>)
    /// to <paramref name="outHeight"/> x <paramref name="outWidth"/> into <paramref name="destination"/>, whose rows are
    /// <paramref name="destRowPixels"/> pixels apart (at least <paramref name="outWidth"/>).
    /// </summary>
    public void Resize(ReadOnlySpan<byte> source, int height, int width, int channels, Span<byte> destination, int outHeight, int outWidth, int destRowPixels)
    {
        if (height <= 0 || width <= 0 || channels <= 0 || source.Length < height * width * channels)
            throw new ArgumentException($"A {height}x{width}x{channels} image needs {height * width * channels} bytes; got {source.Length}.", nameof(source));
        if (outHeight <= 0 || outWidth <= 0 || destRowPixels < outWidth || destination.Length < ((outHeight - 1) * destRowPixels + outWidth) * channels)
            throw new ArgumentException($"A {outHeight}x{outWidth}x{channels} output with rows {destRowPixels} pixels apart does not fit in {destination.Length} bytes.", nameof(destination));

        if (outHeight == height && outWidth == width)
        {
            // torchvision returns a same-size image untouched.
            for (int y = 0; y < height; y++)
                source.Slice(y * width * channels, width * channels).CopyTo(destination.Slice(y * destRowPixels * channels));
            return;
        }

        int rowFloats = outWidth * channels;
        var between = Growable(ref _between, height * rowFloats);
        if (outWidth != width)
        {
            var columns = AxisWeights.For(ref _columns, width, outWidth);
            for (int y = 0; y < height; y++)
                ResampleRow(source.Slice(y * width * channels, width * channels), channels, columns, between.Slice(y * rowFloats, rowFloats));
        }
        else
        {
            for (int i = 0; i < height * rowFloats; i++)
                between[i] = source[i];
        }

        if (outHeight != height)
        {
            var rows = AxisWeights.For(ref _rows, height, outHeight);
            for (int y = 0; y < outHeight; y++)
            {
                var output = destination.Slice(y * destRowPixels * channels, rowFloats);
                int first = rows.First[y], count = rows.Count[y];
                var weights = rows.WeightsOf(y);
                for (int i = 0; i < rowFloats; i++)
                    output[i] = ToByte(WeightedSum<float>(between, first * rowFloats + i, rowFloats, weights, count));
            }
        }
        else
        {
            for (int y = 0; y < outHeight; y++)
            {
                var output = destination.Slice(y * destRowPixels * channels, rowFloats);
                var input = between.Slice(y * rowFloats, rowFloats);
                for (int i = 0; i < rowFloats; i++)
                    output[i] = ToByte(input[i]);
            }
        }
    }

    private static void ResampleRow(ReadOnlySpan<byte> row, int channels, AxisWeights columns, Span<float> output)
    {
        for (int x = 0; x < columns.OutSize; x++)
        {
            int first = columns.First[x], count = columns.Count[x];
            var weights = columns.WeightsOf(x);
            for (int c = 0; c < channels; c++)
                output[x * channels + c] = WeightedSum(row, first * channels + c, channels, weights, count);
        }
    }

    /// <summary>
    /// Σ values[at + j·stride]·weights[j] over the <paramref name="count"/> taps, in float32 and in source order, with
    /// fused multiply-adds after the first product (ATen's FMA contraction): both passes sum this way.
    /// </summary>
    private static float WeightedSum<T>(ReadOnlySpan<T> values, int at, int stride, ReadOnlySpan<float> weights, int count)
        where T : unmanaged, INumberBase<T>
    {
        float sum = float.CreateTruncating(values[at]) * weights[0];
        for (int j = 1; j < count; j++)
            sum = MathF.FusedMultiplyAdd(float.CreateTruncating(values[at + j * stride]), weights[j], sum);
        return sum;
    }

    // round_() (half to even), then the cast to uint8; the triangle weights are positive and sum to 1, so no clamping is needed
    // beyond guarding rounding noise.
    private static byte ToByte(float value)
    {
        float rounded = MathF.Round(value, MidpointRounding.ToEven);
        return rounded <= 0f ? (byte)0 : rounded >= 255f ? (byte)255 : (byte)rounded;
    }

    private static Span<float> Growable(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
            buffer = new float[length];
        return buffer.AsSpan(0, length);
    }

    /// <summary>
    /// One axis's filter taps, as ATen computes them for float32 data (its antialiased bilinear weights): for output
    /// index i, scale s = in/out (float32), support = s when s ≥ 1 else 1, centre = s·(i + 0.5), the taps
    /// [trunc(centre − support + 0.5), trunc(centre + support + 0.5)) clipped to the input, tap j weighted by
    /// max(0, 1 − |(j − centre + 0.5)·invscale|) with invscale = 1/s when s ≥ 1 else 1, normalised to sum 1, all with
    /// ATen's mix of float32 and double steps.
    /// </summary>
    internal sealed class AxisWeights
    {
        private readonly float[] _weights;

        private AxisWeights(int inSize, int outSize)
        {
            InSize = inSize;
            OutSize = outSize;
            float scale = (float)inSize / outSize;
            float support = scale >= 1.0 ? (float)(1.0 * scale) : 1f;
            MaxTaps = (int)Math.Ceiling(support) * 2 + 1;
            First = new int[outSize];
            Count = new int[outSize];
            _weights = new float[outSize * MaxTaps];
            float invScale = scale >= 1.0 ? (float)(1.0 / scale) : 1f;
            for (int i = 0; i < outSize; i++)
            {
                float centre = (float)(scale * (i + 0.5));
                int first = Math.Max((int)(long)((double)(centre - support) + 0.5), 0);
                int count = (int)Math.Min((long)((double)(centre + support) + 0.5), inSize) - first;
                count = Math.Clamp(count, 0, MaxTaps);
                var weights = _weights.AsSpan(i * MaxTaps, MaxTaps);
                float total = 0f;
                for (int j = 0; j < count; j++)
                {
                    float w = Triangle((float)(((double)((j + first) - centre) + 0.5) * invScale));
                    weights[j] = w;
                    total += w;
                }
                if (total != 0f)
                    for (int j = 0; j < count; j++)
                        weights[j] /= total;
                First[i] = first;
                Count[i] = count;
            }
        }

        public int InSize { get; }

        public int OutSize { get; }

        public int MaxTaps { get; }

        public int[] First { get; }

        public int[] Count { get; }

        public ReadOnlySpan<float> WeightsOf(int output) => _weights.AsSpan(output * MaxTaps, MaxTaps);

        /// <summary>The cached table when it is for these sizes, else a new one (frames of one size keep theirs).</summary>
        public static AxisWeights For(ref AxisWeights? cached, int inSize, int outSize)
        {
            if (cached is null || cached.InSize != inSize || cached.OutSize != outSize)
                cached = new AxisWeights(inSize, outSize);
            return cached;
        }

        private static float Triangle(float x)
        {
            if (x < 0f)
                x = -x;
            return x < 1f ? 1f - x : 0f;
        }
    }
}
