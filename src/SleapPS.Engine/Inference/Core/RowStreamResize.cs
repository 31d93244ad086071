using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// TF's bilinear resize (half-pixel centres, no antialias) of a uint8 frame converted to float, row by row: each source
/// row needed is converted and interpolated across once into a row buffer, and each output row interpolates between two
/// such rows. Every value is computed with the same float operations in the same order as converting the whole frame and
/// then resizing it (<see cref="ImagePreprocessor.ResizeBilinear(ReadOnlySpan{float}, int, int, int, Span{float}, int, int)"/>),
/// so the result is bit for bit the same, without the float copy of the whole frame (2 MiB at 560x320 RGB) written and
/// read back, and with the arithmetic in vectors.
/// </summary>
internal static unsafe class RowStreamResize
{
    /// <summary>
    /// Resizes <paramref name="hwc"/> (<paramref name="channels"/> per pixel, converted to <paramref name="modelChannels"/>
    /// as <see cref="ImagePreprocessor.ConvertRowToFloat"/> does) to <paramref name="outHeight"/> x <paramref name="outWidth"/>,
    /// into rows of <paramref name="destRowPixels"/> pixels.
    /// </summary>
    public static void FromBytes(ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels,
        Span<float> destination, int outHeight, int outWidth, int destRowPixels)
    {
        int sourceFloats = width * modelChannels, rowFloats = outWidth * modelChannels;
        int[] ints = ArrayPool<int>.Shared.Rent(2 * outHeight + 2 * outWidth + 2 * rowFloats);
        float[] floats = ArrayPool<float>.Shared.Rent(outHeight + outWidth + 3 * rowFloats + sourceFloats);
        try
        {
            var intSpan = ints.AsSpan();
            var floatSpan = floats.AsSpan();
            var rows = new BilinearWeights(height, outHeight, Take(ref intSpan, outHeight), Take(ref intSpan, outHeight), Take(ref floatSpan, outHeight));
            var columns = new BilinearWeights(width, outWidth, Take(ref intSpan, outWidth), Take(ref intSpan, outWidth), Take(ref floatSpan, outWidth));
            // For each value of an output row (pixel x, channel c): where its left and right neighbours sit in a converted source row, and the weight.
            var left = Take(ref intSpan, rowFloats);
            var right = Take(ref intSpan, rowFloats);
            var weights = Take(ref floatSpan, rowFloats);
            for (int x = 0; x < outWidth; x++)
                for (int c = 0; c < modelChannels; c++)
                {
                    int j = x * modelChannels + c;
                    left[j] = columns.Lower[x] * modelChannels + c;
                    right[j] = columns.Upper[x] * modelChannels + c;
                    weights[j] = columns.Lerp[x];
                }
            var across = new RowsAcross(hwc, width, channels, modelChannels, Take(ref floatSpan, sourceFloats), left, right, weights);
            // Two source rows interpolated across, and which rows they are: consecutive output rows mostly share one.
            var rowA = Take(ref floatSpan, rowFloats);
            var rowB = Take(ref floatSpan, rowFloats);
            int heldA = -1, heldB = -1;

            for (int y = 0; y < outHeight; y++)
            {
                int lower = rows.Lower[y], upper = rows.Upper[y];
                // Fill a missing row into the buffer the other needed row is not in.
                if (heldA != lower && heldB != lower)
                {
                    if (heldA == upper) { across.Fill(lower, rowB); heldB = lower; }
                    else { across.Fill(lower, rowA); heldA = lower; }
                }
                if (heldA != upper && heldB != upper)
                {
                    if (heldA == lower) { across.Fill(upper, rowB); heldB = upper; }
                    else { across.Fill(upper, rowA); heldA = upper; }
                }
                var top = heldA == lower ? rowA : rowB;
                var bottom = heldA == upper ? rowA : rowB;
                Lerp(top, bottom, rows.Lerp[y], destination.Slice(y * destRowPixels * modelChannels, rowFloats));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ints);
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    private static Span<T> Take<T>(ref Span<T> pool, int length)
    {
        var taken = pool[..length];
        pool = pool[length..];
        return taken;
    }

    /// <summary>Source rows converted to float and interpolated across to the output width.</summary>
    private readonly ref struct RowsAcross(ReadOnlySpan<byte> frame, int width, int channels, int modelChannels, Span<float> converted,
        ReadOnlySpan<int> left, ReadOnlySpan<int> right, ReadOnlySpan<float> weights)
    {
        private readonly ReadOnlySpan<byte> _frame = frame;
        private readonly Span<float> _converted = converted;
        private readonly ReadOnlySpan<int> _left = left;
        private readonly ReadOnlySpan<int> _right = right;
        private readonly ReadOnlySpan<float> _weights = weights;

        public void Fill(int sourceRow, Span<float> into)
        {
            int rowBytes = width * channels;
            ImagePreprocessor.ConvertRowToFloat(_frame.Slice(sourceRow * rowBytes, rowBytes), width, channels, modelChannels, _converted);
            Interpolate(_converted, _left, _right, _weights, into);
        }
    }

    /// <summary>output[j] = a + (b - a) * w with a = row[left[j]], b = row[right[j]], w = weights[j]: TF's interpolation across a row.</summary>
    private static void Interpolate(ReadOnlySpan<float> row, ReadOnlySpan<int> left, ReadOnlySpan<int> right, ReadOnlySpan<float> weights, Span<float> output)
    {
        int n = output.Length, j = 0;
        fixed (float* rowStart = row, weightStart = weights, outStart = output)
        fixed (int* leftStart = left, rightStart = right)
        {
            if (Avx2.IsSupported)
            {
                for (; j + 8 <= n; j += 8)
                {
                    var a = Avx2.GatherVector256(rowStart, Avx.LoadVector256(leftStart + j), 4);
                    var b = Avx2.GatherVector256(rowStart, Avx.LoadVector256(rightStart + j), 4);
                    // Separate subtract, multiply and add (no fused multiply-add): TF's float rounding, step by step.
                    Avx.Store(outStart + j, Avx.Add(a, Avx.Multiply(Avx.Subtract(b, a), Avx.LoadVector256(weightStart + j))));
                }
            }
            for (; j < n; j++)
            {
                float a = rowStart[leftStart[j]];
                outStart[j] = a + (rowStart[rightStart[j]] - a) * weightStart[j];
            }
        }
    }

    /// <summary>output = top + (bottom - top) * weight, value by value: TF's interpolation between two rows.</summary>
    private static void Lerp(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float weight, Span<float> output)
    {
        int n = output.Length, j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var w = Vector256.Create(weight);
            for (; j + 8 <= n; j += 8)
            {
                var t = Vector256.Create(top.Slice(j, 8));
                (t + (Vector256.Create(bottom.Slice(j, 8)) - t) * w).CopyTo(output.Slice(j, 8));
            }
        }
        for (; j < n; j++)
            output[j] = top[j] + (bottom[j] - top[j]) * weight;
    }
}
