namespace SleapPS.Tests.Models.Reference;

/// <summary>
/// The reference checked against hand-computed values, so that the accuracy tests measure the
/// converter against TensorFlow's semantics rather than against a second copy of the same mistake.
/// </summary>
public class ReferenceOpsTests
{
    private static Tensor64 Image(double[,] values)
    {
        int h = values.GetLength(0), w = values.GetLength(1);
        var t = Tensor64.Nhwc(1, h, w, 1);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                t[0, y, x, 0] = values[y, x];
        return t;
    }

    private static double[,] Plane(Tensor64 t, int channel = 0)
    {
        var plane = new double[t.H, t.W];
        for (int y = 0; y < t.H; y++)
            for (int x = 0; x < t.W; x++)
                plane[y, x] = t[0, y, x, channel];
        return plane;
    }

    /// <summary>A 3x3 single-channel kernel k[ky, kx] = 3*ky + kx + 1 (1..9).</summary>
    private static ReferenceWeight OneToNineKernel() => new([3, 3, 1, 1], Enumerable.Range(1, 9).Select(v => (double)v).ToArray());

    private static Tensor64 Random(int[] shape, int seed)
    {
        var random = new Random(seed);
        var t = new Tensor64(shape);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = random.NextDouble() * 2 - 1;
        return t;
    }

    [Fact]
    public void Conv2D_3x3_same_is_a_zero_padded_cross_correlation()
    {
        var output = ReferenceOps.Conv2DSame(Image(new double[,] { { 1, 2 }, { 3, 4 } }), OneToNineKernel(), new([1], [0.5]));

        // (0,0) sees the input under the kernel's lower-right 2x2: 1*5 + 2*6 + 3*8 + 4*9 = 77.
        Assert.Equal(new double[,] { { 77.5, 67.5 }, { 47.5, 37.5 } }, Plane(output));
    }

    [Fact]
    public void Conv2D_1x1_kernel_is_indexed_input_channel_then_output_channel()
    {
        var input = Tensor64.Nhwc(1, 1, 1, 2);
        input.Data[0] = 1; input.Data[1] = 10;
        // kernel[0,0,ci,co] for ci in 0..1, co in 0..2
        var kernel = new ReferenceWeight([1, 1, 2, 3], [1, 2, 3, 4, 5, 6]);

        var output = ReferenceOps.Conv2DSame(input, kernel, new([3], [0, 0, 100]));

        Assert.Equal(new double[] { 1 + 40, 2 + 50, 3 + 60 + 100 }, output.Data);
    }

    [Fact]
    public void Conv2DTranspose_3x3_stride2_same_is_the_full_transposed_convolution_cropped_to_0_to_2n_minus_1()
    {
        // Input column (a, b) = (1, 2), width 1. Output (j, x) collects in[i] * k[ky, x] for 2i + ky = j:
        // j0: a*k0x, j1: a*k1x, j2: a*k2x + b*k0x, j3: b*k1x; j4 (b*k2x) and column 2 are cropped.
        var output = ReferenceOps.Conv2DTransposeSame(Image(new double[,] { { 1 }, { 2 } }), OneToNineKernel(), null, 2, 2);

        Assert.Equal([1, 4, 2, 1], output.Shape);
        Assert.Equal(new double[,] { { 1, 2 }, { 4, 5 }, { 7 + 2 * 1, 8 + 2 * 2 }, { 2 * 4, 2 * 5 } }, Plane(output));
    }

    [Fact]
    public void Conv2DTranspose_is_the_adjoint_of_the_same_strided_Conv2D_as_TensorFlow_defines_it()
    {
        // TF computes conv2d_transpose as the gradient of conv2d(SAME, stride 2) with respect to its
        // input, i.e. the adjoint: <conv(x), y> = <x, conv_transpose(y)>. The stored kernel
        // (kh, kw, C_out, C_in) of the transpose is the forward conv's (kh, kw, C_in', C_out').
        var kernel = new ReferenceWeight([3, 3, 2, 3], Random([3, 3, 2, 3], 1).Data);
        var y = Random([1, 3, 2, 3], 2);          // transpose input: 3x2, 3 channels
        var x = Random([1, 6, 4, 2], 3);          // forward conv input: 6x4, 2 channels

        var convX = ReferenceOps.Conv2DSame(x, kernel, null, 2, 2);
        var transposeY = ReferenceOps.Conv2DTransposeSame(y, kernel, null, 2, 2);

        Assert.Equal(y.Shape, convX.Shape);
        Assert.Equal(x.Shape, transposeY.Shape);
        double left = convX.Data.Zip(y.Data, (a, b) => a * b).Sum();
        double right = x.Data.Zip(transposeY.Data, (a, b) => a * b).Sum();
        Assert.Equal(left, right, 1e-12);
    }

    [Fact]
    public void MaxPooling_same_on_an_odd_size_adds_a_cell_at_the_bottom_right_that_is_never_the_maximum()
    {
        // All negative: if padding counted as zero, the edge outputs would be 0.
        var output = ReferenceOps.MaxPoolSame(Image(new double[,] { { -1, -2, -3 }, { -4, -5, -6 }, { -7, -8, -9 } }), 2, 2, 2, 2);

        Assert.Equal(new double[,] { { -1, -3 }, { -7, -9 } }, Plane(output));
    }

    [Fact]
    public void MaxPooling_even_size_takes_each_2x2_block()
    {
        var output = ReferenceOps.MaxPoolSame(Image(new double[,] { { 1, 5, 0, 0 }, { 2, 3, 0, 7 } }), 2, 2, 2, 2);

        Assert.Equal(new double[,] { { 5, 7 } }, Plane(output));
    }

    [Fact]
    public void Bilinear_x2_uses_half_pixel_centres_clamped_at_the_borders()
    {
        // Source positions for outputs 0..3 of a length-2 axis: -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        // The input is linear, value = 8*y + 4*x, so every output is 8*sy + 4*sx.
        var input = Image(new double[,] { { 0, 4 }, { 8, 12 } });

        var output = ReferenceOps.ResizeBilinearHalfPixel(input, 4, 4);

        double[] s = [0, 0.25, 0.75, 1];
        var expected = new double[4, 4];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                expected[y, x] = 8 * s[y] + 4 * s[x];
        Assert.Equal(expected, Plane(output));
    }

    [Fact]
    public void Bilinear_half_size_averages_pixel_pairs()
    {
        // Downscaling by 2 reads source 2d + 0.5: the mean of pixels 2d and 2d+1 (SLEAP's input_scaling 0.5).
        var output = ReferenceOps.ResizeBilinearHalfPixel(Image(new double[,] { { 0, 2, 10, 20 }, { 4, 6, 30, 40 } }), 1, 2);

        Assert.Equal(new double[,] { { 3, 25 } }, Plane(output));
    }

    [Fact]
    public void Concatenate_puts_the_first_input_channels_first()
    {
        var a = Tensor64.Nhwc(1, 1, 2, 1);
        a.Data[0] = 1; a.Data[1] = 2;
        var b = Tensor64.Nhwc(1, 1, 2, 2);
        b.Data[0] = 10; b.Data[1] = 11; b.Data[2] = 20; b.Data[3] = 21;

        var output = ReferenceOps.ConcatenateChannels([a, b]);

        Assert.Equal([1, 1, 2, 3], output.Shape);
        Assert.Equal(new double[] { 1, 10, 11, 2, 20, 21 }, output.Data);
    }

    [Fact]
    public void GlobalMaxPooling_then_Flatten_gives_one_maximum_per_channel()
    {
        var input = Tensor64.Nhwc(2, 2, 1, 2);
        // n0: channel 0 = {1, -3}, channel 1 = {-2, -5}; n1: channel 0 = {7, 8}, channel 1 = {0, -1}
        double[] values = [1, -2, -3, -5, 7, 0, 8, -1];
        values.CopyTo(input.Data, 0);

        var output = ReferenceOps.Flatten(ReferenceOps.GlobalMaxPool(input));

        Assert.Equal([2, 2], output.Shape);
        Assert.Equal(new double[] { 1, -2, 8, 0 }, output.Data);
    }

    [Fact]
    public void Dense_softmax_uses_the_kernel_as_inputs_by_units()
    {
        var input = new Tensor64([1, 2], [1, 2]);
        // kernel (in=2, out=2) = [[1, -1], [0.5, 2]]: z = [1*1 + 2*0.5, 1*(-1) + 2*2] = [2, 3]
        var kernel = new ReferenceWeight([2, 2], [1, -1, 0.5, 2]);

        var logits = ReferenceOps.Dense(input, kernel, new([2], [0, 0]));
        var probabilities = ReferenceOps.Activate(logits, "softmax");

        Assert.Equal(new double[] { 2, 3 }, logits.Data);
        Assert.Equal(1 / (1 + Math.E), probabilities.Data[0], 1e-15);
        Assert.Equal(Math.E / (1 + Math.E), probabilities.Data[1], 1e-15);
    }

    [Fact]
    public void Relu_and_sigmoid_activations()
    {
        var input = new Tensor64([1, 3], [-2, 0, 3]);

        Assert.Equal(new double[] { 0, 0, 3 }, ReferenceOps.Activate(input, "relu").Data);
        Assert.Equal(new double[] { 1 / (1 + Math.Exp(2)), 0.5, 1 / (1 + Math.Exp(-3)) }, ReferenceOps.Activate(input, "sigmoid").Data);
    }
}
