namespace SleapPS.Tests.Models.Reference;

/// <summary>
/// The layer operations of SLEAP's Keras models (docs/design/models.md §4) as plain float64 loops, NHWC,
/// following TensorFlow's definitions directly rather than any ONNX operator. Written for clarity:
/// each output element is computed from its definition; output rows run in parallel.
/// </summary>
public static class ReferenceOps
{
    /// <summary>
    /// TensorFlow's SAME padding along one axis: the output length is ceil(n / stride) and the
    /// padding needed to cover the last window is split with the smaller half before (top/left) and
    /// the larger after (bottom/right). Returns (output length, padding before).
    /// </summary>
    public static (int Length, int PadBefore) SamePadding(int inputLength, int kernel, int stride)
    {
        int output = (inputLength + stride - 1) / stride;
        int padTotal = Math.Max((output - 1) * stride + kernel - inputLength, 0);
        return (output, padTotal / 2);
    }

    /// <summary>
    /// Keras Conv2D, padding "same", dilation 1: out[n,y,x,co] = bias[co] + sum over ky,kx,ci of
    /// in[n, y*s + ky - padTop, x*s + kx - padLeft, ci] * kernel[ky,kx,ci,co] (cross-correlation;
    /// positions outside the input count as zero). Kernel shape (kh, kw, C_in, C_out).
    /// </summary>
    public static Tensor64 Conv2DSame(Tensor64 input, ReferenceWeight kernel, ReferenceWeight? bias, int strideY = 1, int strideX = 1)
    {
        int kh = kernel.Shape[0], kw = kernel.Shape[1], cin = kernel.Shape[2], cout = kernel.Shape[3];
        RequireChannels(input, cin, "Conv2D");
        var (outH, padTop) = SamePadding(input.H, kh, strideY);
        var (outW, padLeft) = SamePadding(input.W, kw, strideX);
        var output = Tensor64.Nhwc(input.N, outH, outW, cout);
        double[] k = kernel.Values;
        ForEachOutputRow(input.N, outH, (n, y) =>
        {
            for (int x = 0; x < outW; x++)
            {
                int o = output.Index(n, y, x, 0);
                for (int co = 0; co < cout; co++) output.Data[o + co] = bias?.Values[co] ?? 0.0;
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = y * strideY + ky - padTop;
                    if (iy < 0 || iy >= input.H) continue;
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int ix = x * strideX + kx - padLeft;
                        if (ix < 0 || ix >= input.W) continue;
                        int i = input.Index(n, iy, ix, 0);
                        for (int ci = 0; ci < cin; ci++)
                        {
                            double v = input.Data[i + ci];
                            if (v == 0.0) continue;                  // after ReLU most inputs are zero
                            int kRow = ((ky * kw + kx) * cin + ci) * cout;
                            for (int co = 0; co < cout; co++) output.Data[o + co] += v * k[kRow + co];
                        }
                    }
                }
            }
        });
        return output;
    }

    /// <summary>
    /// Keras Conv2DTranspose, padding "same", output_padding None: output size = input size * stride,
    /// computed as TensorFlow defines it, the gradient of a SAME Conv2D (input of the output's size,
    /// same kernel and stride) with respect to that conv's input. The forward conv reads position
    /// j = i*s + k - padTop for output i and tap k, so the transpose adds in[i] * kernel[k] into
    /// out[i*s + k - padTop]. For 3x3 stride 2, padTop = 0: this is the full transposed convolution
    /// (length 2n+1) cropped to indices 0..2n-1. Kernel shape (kh, kw, C_out, C_in), not flipped.
    /// </summary>
    public static Tensor64 Conv2DTransposeSame(Tensor64 input, ReferenceWeight kernel, ReferenceWeight? bias, int strideY, int strideX)
    {
        int kh = kernel.Shape[0], kw = kernel.Shape[1], cout = kernel.Shape[2], cin = kernel.Shape[3];
        RequireChannels(input, cin, "Conv2DTranspose");
        int outH = input.H * strideY, outW = input.W * strideX;
        // The forward conv maps the output-sized tensor back to the input size, with SAME padding of its own.
        var (forwardH, padTop) = SamePadding(outH, kh, strideY);
        var (forwardW, padLeft) = SamePadding(outW, kw, strideX);
        if (forwardH != input.H || forwardW != input.W) throw new InvalidOperationException("SAME transpose shapes disagree.");
        var output = Tensor64.Nhwc(input.N, outH, outW, cout);
        double[] k = kernel.Values;
        ForEachOutputRow(input.N, outH, (n, y) =>
        {
            for (int x = 0; x < outW; x++)
            {
                int o = output.Index(n, y, x, 0);
                for (int co = 0; co < cout; co++) output.Data[o + co] = bias?.Values[co] ?? 0.0;
                // Gather form of the scatter above: input i and tap k contribute to y when i*s + k - padTop == y.
                for (int ky = 0; ky < kh; ky++)
                {
                    int sy = y + padTop - ky;
                    if (sy < 0 || sy % strideY != 0 || sy / strideY >= input.H) continue;
                    int iy = sy / strideY;
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int sx = x + padLeft - kx;
                        if (sx < 0 || sx % strideX != 0 || sx / strideX >= input.W) continue;
                        int ix = sx / strideX;
                        int i = input.Index(n, iy, ix, 0);
                        for (int co = 0; co < cout; co++)
                        {
                            int kRow = ((ky * kw + kx) * cout + co) * cin;
                            double sum = 0.0;
                            for (int ci = 0; ci < cin; ci++) sum += input.Data[i + ci] * k[kRow + ci];
                            output.Data[o + co] += sum;
                        }
                    }
                }
            }
        });
        return output;
    }

    /// <summary>
    /// Keras MaxPooling2D, padding "same": windows start at y*stride - padTop with TF's SAME padding
    /// (for 2x2/2 on an odd size, one extra cell at the bottom/right); padded cells are not candidates.
    /// </summary>
    public static Tensor64 MaxPoolSame(Tensor64 input, int poolY, int poolX, int strideY, int strideX)
    {
        var (outH, padTop) = SamePadding(input.H, poolY, strideY);
        var (outW, padLeft) = SamePadding(input.W, poolX, strideX);
        int channels = input.C;
        var output = Tensor64.Nhwc(input.N, outH, outW, channels);
        ForEachOutputRow(input.N, outH, (n, y) =>
        {
            for (int x = 0; x < outW; x++)
                for (int c = 0; c < channels; c++)
                {
                    double best = double.NegativeInfinity;
                    for (int py = 0; py < poolY; py++)
                    {
                        int iy = y * strideY + py - padTop;
                        if (iy < 0 || iy >= input.H) continue;
                        for (int px = 0; px < poolX; px++)
                        {
                            int ix = x * strideX + px - padLeft;
                            if (ix < 0 || ix >= input.W) continue;
                            best = Math.Max(best, input[n, iy, ix, c]);
                        }
                    }
                    output[n, y, x, c] = best;
                }
        });
        return output;
    }

    /// <summary>
    /// tf.image.resize, bilinear, half-pixel centres, no antialias (what Keras UpSampling2D
    /// "bilinear" calls): output pixel d reads source position (d + 0.5) * (in / out) - 0.5,
    /// clamped to [0, in - 1], interpolating its two neighbours on each axis.
    /// </summary>
    public static Tensor64 ResizeBilinearHalfPixel(Tensor64 input, int outH, int outW)
    {
        int channels = input.C;
        var output = Tensor64.Nhwc(input.N, outH, outW, channels);
        ForEachOutputRow(input.N, outH, (n, y) =>
        {
            var (y0, y1, fy) = SourcePosition(y, input.H, outH);
            for (int x = 0; x < outW; x++)
            {
                var (x0, x1, fx) = SourcePosition(x, input.W, outW);
                for (int c = 0; c < channels; c++)
                {
                    double top = input[n, y0, x0, c] * (1 - fx) + input[n, y0, x1, c] * fx;
                    double bottom = input[n, y1, x0, c] * (1 - fx) + input[n, y1, x1, c] * fx;
                    output[n, y, x, c] = top * (1 - fy) + bottom * fy;
                }
            }
        });
        return output;
    }

    private static (int Lower, int Upper, double Fraction) SourcePosition(int destination, int inLength, int outLength)
    {
        double source = (destination + 0.5) * inLength / outLength - 0.5;
        source = Math.Clamp(source, 0.0, inLength - 1);
        int lower = (int)Math.Floor(source);
        int upper = Math.Min(lower + 1, inLength - 1);
        return (lower, upper, source - lower);
    }

    /// <summary>Concatenation along the last axis, inputs in the given order.</summary>
    public static Tensor64 ConcatenateChannels(IReadOnlyList<Tensor64> inputs)
    {
        var first = inputs[0];
        foreach (var t in inputs)
            if (t.Rank != first.Rank || !t.Shape.AsSpan(0, t.Rank - 1).SequenceEqual(first.Shape.AsSpan(0, first.Rank - 1)))
                throw new InvalidOperationException($"Concatenate: shapes {first.ShapeText} and {t.ShapeText} differ before the last axis.");
        int[] shape = (int[])first.Shape.Clone();
        shape[^1] = inputs.Sum(t => t.C);
        var output = new Tensor64(shape);
        int rows = first.Data.Length / first.C;
        int offset = 0;
        foreach (var t in inputs)
        {
            for (int r = 0; r < rows; r++)
                Array.Copy(t.Data, r * t.C, output.Data, r * shape[^1] + offset, t.C);
            offset += t.C;
        }
        return output;
    }

    /// <summary>GlobalMaxPooling2D: max over height and width, NHWC -> (N, C).</summary>
    public static Tensor64 GlobalMaxPool(Tensor64 input)
    {
        var output = new Tensor64([input.N, input.C]);
        for (int n = 0; n < input.N; n++)
            for (int c = 0; c < input.C; c++)
            {
                double best = double.NegativeInfinity;
                for (int y = 0; y < input.H; y++)
                    for (int x = 0; x < input.W; x++)
                        best = Math.Max(best, input[n, y, x, c]);
                output[n, c] = best;
            }
        return output;
    }

    /// <summary>Keras Flatten (channels_last): row-major over all axes but the batch.</summary>
    public static Tensor64 Flatten(Tensor64 input) => new([input.N, input.Data.Length / Math.Max(input.N, 1)], (double[])input.Data.Clone());

    /// <summary>Keras Dense: out[n, j] = bias[j] + sum_i in[n, i] * kernel[i, j], kernel shape (in, out).</summary>
    public static Tensor64 Dense(Tensor64 input, ReferenceWeight kernel, ReferenceWeight? bias)
    {
        int units = kernel.Shape[1], features = kernel.Shape[0];
        if (input.Rank != 2 || input.C != features)
            throw new InvalidOperationException($"Dense expects (N, {features}), got {input.ShapeText}.");
        var output = new Tensor64([input.N, units]);
        for (int n = 0; n < input.N; n++)
            for (int j = 0; j < units; j++)
            {
                double sum = bias?.Values[j] ?? 0.0;
                for (int i = 0; i < features; i++) sum += input[n, i] * kernel.Values[i * units + j];
                output[n, j] = sum;
            }
        return output;
    }

    /// <summary>Keras activations by name; softmax runs over the last axis.</summary>
    public static Tensor64 Activate(Tensor64 input, string activation)
    {
        switch (activation)
        {
            case "linear":
                return input;
            case "relu":
                return Map(input, v => v > 0 ? v : 0.0);
            case "sigmoid":
                return Map(input, v => 1.0 / (1.0 + Math.Exp(-v)));
            case "softmax":
                var output = new Tensor64(input.Shape);
                int width = input.C;
                for (int start = 0; start < input.Data.Length; start += width)
                {
                    double max = double.NegativeInfinity;
                    for (int i = 0; i < width; i++) max = Math.Max(max, input.Data[start + i]);
                    double total = 0.0;
                    for (int i = 0; i < width; i++) total += output.Data[start + i] = Math.Exp(input.Data[start + i] - max);
                    for (int i = 0; i < width; i++) output.Data[start + i] /= total;
                }
                return output;
            default:
                throw new NotSupportedException($"The reference has no activation '{activation}'.");
        }
    }

    private static Tensor64 Map(Tensor64 input, Func<double, double> f)
    {
        var output = new Tensor64(input.Shape);
        for (int i = 0; i < input.Data.Length; i++) output.Data[i] = f(input.Data[i]);
        return output;
    }

    private static void RequireChannels(Tensor64 input, int channels, string op)
    {
        if (input.Rank != 4 || input.C != channels)
            throw new InvalidOperationException($"{op} expects NHWC with {channels} channels, got {input.ShapeText}.");
    }

    /// <summary>Runs body(n, y) for every batch item and output row, rows in parallel (each writes only its own row).</summary>
    private static void ForEachOutputRow(int batch, int rows, Action<int, int> body) =>
        Parallel.For(0, batch * rows, row => body(row / rows, row % rows));
}
