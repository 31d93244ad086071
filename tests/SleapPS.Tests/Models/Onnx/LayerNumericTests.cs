using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.Models.Keras;
using SleapPS.Engine.Models.Onnx;
using SleapPS.Tests.Models.Keras;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Models.Keras.SyntheticKerasModel;

namespace SleapPS.Tests.Models.Onnx;

/// <summary>
/// Tiny synthetic Keras models (written by h5py) whose outputs are worked out by hand here, one per
/// layer semantics that is easy to get subtly wrong (TF's SAME padding side, the transposed
/// convolution's crop and kernel layout, resize coordinates, NHWC order at the graph edges).
/// </summary>
public class LayerNumericTests
{
    private static readonly float[] Ramp16 = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();

    [Fact]
    public void Conv2D_same_with_stride_2_pads_the_bottom_right_like_TensorFlow()
    {
        // 4x4 input 0..15, 3x3 kernel of ones, stride 2: TF pads 0 rows above and 1 below (SAME_UPPER).
        var model = new SyntheticKerasModel(null, null, 1)
            .Layer("Conv2D", "conv", SyntheticKerasModel.Config(("filters", 1), ("kernel_size", Pair(3, 3)), ("strides", Pair(2, 2)), ("padding", "same"),
                ("data_format", "channels_last"), ("dilation_rate", Pair(1, 1)), ("groups", 1), ("activation", "linear"), ("use_bias", true)),
                ["input"], ("kernel", [3, 3, 1, 1], Enumerable.Repeat(1f, 9).ToArray()), ("bias", [1], [0.5f]))
            .Output("conv");
        var output = Run(model, Ramp16, [1, 4, 4, 1])["conv"];
        Assert.Equal([1, 2, 2, 1], output.Dimensions.ToArray());
        // rows 0-2 x cols 0-2 = 45; rows 0-2 x cols 2-3 = 39; rows 2-3 x cols 0-2 = 66; rows 2-3 x cols 2-3 = 50.
        Assert.Equal([45.5f, 39.5f, 66.5f, 50.5f], output.ToArray());
    }

    [Fact]
    public void Conv2D_keeps_kernel_channel_order_and_fuses_its_activation()
    {
        // 1x1 conv from 2 channels to 2: out0 = x0 - x1, out1 = 2 x0 + 3 x1, then ReLU. Keras kernel (1, 1, Cin, Cout).
        var model = new SyntheticKerasModel(null, null, 2)
            .Layer("Conv2D", "conv", SyntheticKerasModel.Config(("filters", 2), ("kernel_size", Pair(1, 1)), ("strides", Pair(1, 1)), ("padding", "valid"),
                ("activation", "relu"), ("use_bias", false)),
                ["input"], ("kernel", [1, 1, 2, 2], [1f, 2f, -1f, 3f]))
            .Output("conv");
        // One pixel: (x0, x1) = (1, 2) -> (relu(-1), 8); second pixel (3, 1) -> (2, 9).
        var output = Run(model, [1f, 2f, 3f, 1f], [1, 1, 2, 2])["conv"];
        Assert.Equal([0f, 8f, 2f, 9f], output.ToArray());
    }

    [Fact]
    public void MaxPooling2D_same_on_an_odd_size_adds_a_cell_at_the_bottom_right_that_never_wins()
    {
        var model = new SyntheticKerasModel(null, null, 1)
            .Layer("MaxPooling2D", "pool", SyntheticKerasModel.Config(("pool_size", Pair(2, 2)), ("padding", "same"), ("strides", Pair(2, 2)), ("data_format", "channels_last")), ["input"])
            .Output("pool");
        float[] negative = Enumerable.Range(1, 9).Select(i => -(float)i).ToArray(); // 3x3: -1..-9
        var output = Run(model, negative, [1, 3, 3, 1])["pool"];
        Assert.Equal([1, 2, 2, 1], output.Dimensions.ToArray());
        Assert.Equal([-1f, -3f, -7f, -9f], output.ToArray());
    }

    [Fact]
    public void Conv2DTranspose_3x3_stride_2_same_keeps_cells_0_to_2n_minus_1_of_the_full_result()
    {
        // x = [[1, 2], [3, 4]]; kernel k[a][b] = 1..9 for output channel 0 and 10x that for channel 1 (Keras shape (3, 3, Cout=2, Cin=1)).
        float[] kernel = new float[18];
        for (int i = 0; i < 9; i++) { kernel[i * 2] = i + 1; kernel[i * 2 + 1] = 10 * (i + 1); }
        var model = new SyntheticKerasModel(null, null, 1)
            .Layer("Conv2DTranspose", "up", SyntheticKerasModel.Config(("filters", 2), ("kernel_size", Pair(3, 3)), ("strides", Pair(2, 2)), ("padding", "same"),
                ("data_format", "channels_last"), ("dilation_rate", Pair(1, 1)), ("groups", 1), ("activation", "linear"), ("use_bias", true), ("output_padding", null)),
                ["input"], ("kernel", [3, 3, 2, 1], kernel), ("bias", [2], [0.5f, 0f]))
            .Output("up");
        var output = Run(model, [1f, 2f, 3f, 4f], [1, 2, 2, 1])["up"];
        Assert.Equal([1, 4, 4, 2], output.Dimensions.ToArray());
        // y[p][q] = sum x[i][j] k[p - 2i][q - 2j], worked out cell by cell.
        float[,] expected =
        {
            { 1, 2, 5, 4 },
            { 4, 5, 14, 10 },
            { 10, 14, 36, 24 },
            { 12, 15, 34, 20 },
        };
        for (int p = 0; p < 4; p++)
            for (int q = 0; q < 4; q++)
            {
                Assert.Equal(expected[p, q] + 0.5f, output[0, p, q, 0]);
                Assert.Equal(expected[p, q] * 10, output[0, p, q, 1]);
            }
    }

    [Fact]
    public void UpSampling2D_nearest_repeats_each_cell()
    {
        var model = Upsampling("nearest");
        var output = Run(model, [1f, 2f, 3f, 4f], [1, 2, 2, 1])["up"];
        Assert.Equal([1f, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], output.ToArray());
    }

    [Fact]
    public void UpSampling2D_bilinear_uses_half_pixel_centres_clamped_at_the_border()
    {
        // Source coordinate of output o is (o + 0.5) / 2 - 0.5: -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        var output = Run(Upsampling("bilinear"), [1f, 2f, 3f, 4f], [1, 2, 2, 1])["up"];
        Assert.Equal([
            1f, 1.25f, 1.75f, 2f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3f, 3.25f, 3.75f, 4f], output.ToArray());
    }

    [Fact]
    public void BatchNormalization_ZeroPadding_Add_and_Concatenate_work_per_channel_in_NHWC_order()
    {
        // x (1x1x2) -> BN (gamma, beta, mean, var per channel, eps 0.25) -> pad one row above and one column right -> add x' -> concat [x', bn].
        var model = new SyntheticKerasModel(null, null, 2)
            .Layer("BatchNormalization", "bn", SyntheticKerasModel.Config(("axis", new System.Text.Json.Nodes.JsonArray(3)), ("momentum", 0.99), ("epsilon", 0.25), ("center", true), ("scale", true)),
                ["input"], ("gamma", [2], [2f, 1f]), ("beta", [2], [1f, 0f]), ("moving_mean", [2], [1f, -1f]), ("moving_variance", [2], [0f, 3.75f]))
            .Layer("ZeroPadding2D", "pad", SyntheticKerasModel.Config(("padding", new System.Text.Json.Nodes.JsonArray(Pair(1, 0), Pair(0, 1))), ("data_format", "channels_last")), ["bn"])
            .Layer("ZeroPadding2D", "pad_input", SyntheticKerasModel.Config(("padding", new System.Text.Json.Nodes.JsonArray(Pair(1, 0), Pair(0, 1))), ("data_format", "channels_last")), ["input"])
            .Layer("Add", "sum", SyntheticKerasModel.Config(), ["pad", "pad_input"])
            .Layer("Concatenate", "both", SyntheticKerasModel.Config(("axis", -1)), ["pad_input", "sum"])
            .Output("both").Output("bn");
        var outputs = Run(model, [3f, 1f], [1, 1, 1, 2]);
        // bn: channel 0 (3 - 1) / sqrt(0.25) * 2 + 1 = 9; channel 1 (1 + 1) / sqrt(4) * 1 + 0 = 1.
        Assert.Equal([9f, 1f], outputs["bn"].ToArray());
        var both = outputs["both"];
        Assert.Equal([1, 2, 2, 4], both.Dimensions.ToArray());
        // Only cell (1, 0) holds data; channels [x0, x1, x0 + bn0, x1 + bn1].
        Assert.Equal([3f, 1f, 12f, 2f], Enumerable.Range(0, 4).Select(c => both[0, 1, 0, c]));
        Assert.Equal(4 * 3, both.ToArray().Count(v => v == 0f));
    }

    [Fact]
    public void Dense_head_with_softmax_after_global_max_pooling()
    {
        // GlobalMaxPooling2D over a 2x2x2 input -> (max0, max1) = (4, 1) -> Dense(2) kernel [[1, 0], [0, 1]] bias (0, ln 3)... softmax.
        var model = new SyntheticKerasModel(null, null, 2)
            .Layer("GlobalMaxPooling2D", "pool", SyntheticKerasModel.Config(("data_format", "channels_last")), ["input"])
            .Layer("Flatten", "flat", SyntheticKerasModel.Config(("data_format", "channels_last")), ["pool"])
            .Layer("Dense", "classes", SyntheticKerasModel.Config(("units", 2), ("activation", "softmax"), ("use_bias", true)), ["flat"],
                ("kernel", [2, 2], [1f, 0f, 0f, 1f]), ("bias", [2], [0f, 3f]))
            .Output("classes");
        var output = Run(model, [1f, 0f, 4f, -1f, 2f, 1f, 0f, 0f], [1, 2, 2, 2])["classes"];
        Assert.Equal([1, 2], output.Dimensions.ToArray());
        // logits (4, 1 + 3) are equal: probabilities 0.5, 0.5.
        Assert.Equal(0.5f, output[0, 0], 6);
        Assert.Equal(0.5f, output[0, 1], 6);
    }

    [Fact]
    public void Imagenet_preprocessing_and_tile_channels_lambdas_are_replaced_by_their_ops()
    {
        var model = new SyntheticKerasModel(null, null, 1)
            .Layer("Lambda", "tile_channels", SyntheticKerasModel.Config(("function", "bytecode"), ("function_type", "lambda")), ["input"])
            .Layer("Lambda", "imagenet_preproc_v1", SyntheticKerasModel.Config(("function", "bytecode"), ("function_type", "lambda")), ["tile_channels"])
            .Output("tile_channels").Output("imagenet_preproc_v1");
        var outputs = Run(model, [0.5f], [1, 1, 1, 1]);
        Assert.Equal([0.5f, 0.5f, 0.5f], outputs["tile_channels"].ToArray());
        Assert.Equal([127.5f - 103.939f, 127.5f - 116.779f, 127.5f - 123.68f], outputs["imagenet_preproc_v1"].ToArray());
    }

    [Fact]
    public void Dilated_Conv2D_same_pads_by_the_dilated_kernel()
    {
        // 5x5 input with a single 1 in the centre, 3x3 kernel of ones with dilation 2: the 1 reaches rows/cols 0, 2, 4.
        var model = new SyntheticKerasModel(null, null, 1)
            .Layer("Conv2D", "conv", SyntheticKerasModel.Config(("filters", 1), ("kernel_size", Pair(3, 3)), ("strides", Pair(1, 1)), ("padding", "same"),
                ("dilation_rate", Pair(2, 2)), ("activation", "linear"), ("use_bias", false)),
                ["input"], ("kernel", [3, 3, 1, 1], Enumerable.Repeat(1f, 9).ToArray()))
            .Output("conv");
        float[] input = new float[25];
        input[12] = 1;
        var output = Run(model, input, [1, 5, 5, 1])["conv"];
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 5; c++)
                Assert.Equal(r % 2 == 0 && c % 2 == 0 ? 1f : 0f, output[0, r, c, 0]);
    }

    [Fact]
    public void Conv2DTranspose_4x4_stride_2_same_crops_one_cell_on_each_side()
    {
        // Keras (ResNet upsampling uses kernel 4): crop (4 - 2) / 2 = 1 at the top/left and 1 at the bottom/right.
        // With k[1][1] = 1 and k[3][3] = 10: y[2i][2j] += x[i][j] and y[2i + 2][2j + 2] += 10 x[i][j].
        float[] kernel = new float[16];
        kernel[1 * 4 + 1] = 1;
        kernel[3 * 4 + 3] = 10;
        var model = new SyntheticKerasModel(null, null, 1)
            .Layer("Conv2DTranspose", "up", SyntheticKerasModel.Config(("filters", 1), ("kernel_size", Pair(4, 4)), ("strides", Pair(2, 2)), ("padding", "same"),
                ("activation", "linear"), ("use_bias", false), ("output_padding", null)),
                ["input"], ("kernel", [4, 4, 1, 1], kernel))
            .Output("up");
        var output = Run(model, [1f, 2f, 3f, 4f], [1, 2, 2, 1])["up"];
        Assert.Equal([1, 4, 4, 1], output.Dimensions.ToArray());
        Assert.Equal([
            1f, 0, 2, 0,
            0, 0, 0, 0,
            3, 0, 14, 0,
            0, 0, 0, 0], output.ToArray());
    }

    [Fact]
    public void ResNet_style_stem_and_upsampling_accept_any_multiple_of_the_stride()
    {
        // tile_channels -> imagenet_preproc_v1 -> pad 3 -> 7x7/2 valid conv -> BN -> ReLU -> pad 1 -> 3x3/2 valid max pool
        // -> [1x1 conv, no bias] + pool -> dilated 3x3 conv -> 4x4/2 transposed conv -> nearest x2 upsampling.
        var random = new Random(7);
        float[] Weights(int n) => Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var padding = (int p) => new System.Text.Json.Nodes.JsonArray(Pair(p, p), Pair(p, p));
        var model = new SyntheticKerasModel(null, null, 1)
            .Layer("Lambda", "tile_channels", SyntheticKerasModel.Config(("function", "bytecode")), ["input"])
            .Layer("Lambda", "imagenet_preproc_v1", SyntheticKerasModel.Config(("function", "bytecode")), ["tile_channels"])
            .Layer("ZeroPadding2D", "conv1_pad", SyntheticKerasModel.Config(("padding", padding(3))), ["imagenet_preproc_v1"])
            .Layer("Conv2D", "conv1_conv", SyntheticKerasModel.Config(("filters", 4), ("kernel_size", Pair(7, 7)), ("strides", Pair(2, 2)), ("padding", "valid"), ("use_bias", true)),
                ["conv1_pad"], ("kernel", [7, 7, 3, 4], Weights(7 * 7 * 3 * 4)), ("bias", [4], Weights(4)))
            .Layer("BatchNormalization", "conv1_bn", SyntheticKerasModel.Config(("axis", 3), ("epsilon", 1.001e-5), ("center", true), ("scale", true)),
                ["conv1_conv"], ("gamma", [4], Weights(4)), ("beta", [4], Weights(4)), ("moving_mean", [4], Weights(4)), ("moving_variance", [4], [1f, 2f, 3f, 4f]))
            .Layer("Activation", "conv1_relu", SyntheticKerasModel.Config(("activation", "relu")), ["conv1_bn"])
            .Layer("ZeroPadding2D", "pool1_pad", SyntheticKerasModel.Config(("padding", padding(1))), ["conv1_relu"])
            .Layer("MaxPooling2D", "pool1_pool", SyntheticKerasModel.Config(("pool_size", Pair(3, 3)), ("strides", Pair(2, 2)), ("padding", "valid")), ["pool1_pad"])
            .Layer("Conv2D", "block_conv", SyntheticKerasModel.Config(("filters", 4), ("kernel_size", Pair(1, 1)), ("use_bias", false)), ["pool1_pool"], ("kernel", [1, 1, 4, 4], Weights(16)))
            .Layer("Add", "block_add", SyntheticKerasModel.Config(), ["pool1_pool", "block_conv"])
            .Layer("Conv2D", "dilated", SyntheticKerasModel.Config(("filters", 2), ("kernel_size", Pair(3, 3)), ("dilation_rate", Pair(2, 2)), ("padding", "same")),
                ["block_add"], ("kernel", [3, 3, 4, 2], Weights(72)), ("bias", [2], Weights(2)))
            .Layer("Conv2DTranspose", "upsample", SyntheticKerasModel.Config(("filters", 3), ("kernel_size", Pair(4, 4)), ("strides", Pair(2, 2)), ("padding", "same")),
                ["dilated"], ("kernel", [4, 4, 3, 2], Weights(96)), ("bias", [3], Weights(3)))
            .Layer("UpSampling2D", "nearest", SyntheticKerasModel.Config(("size", Pair(2, 2)), ("interpolation", "nearest")), ["upsample"])
            .Output("nearest");
        foreach (var (height, width) in new[] { (32, 32), (64, 96), (96, 32) })
        {
            var output = Run(model, Enumerable.Range(0, height * width).Select(i => (i % 7) / 7f).ToArray(), [1, height, width, 1])["nearest"];
            Assert.Equal([1, height, width, 3], output.Dimensions.ToArray()); // /4 by the stem, x2 twice
            Assert.All(output.ToArray(), v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void DepthwiseConv2D_writes_channel_c_times_multiplier_plus_j_and_Dense_on_an_image_acts_per_pixel()
    {
        // Depthwise kernel (1, 1, C=2, m=2) = [[1, 2], [3, 4]]: (x0, x1) -> (x0, 2 x0, 3 x1, 4 x1); then Dense(1) sums them per pixel.
        var model = new SyntheticKerasModel(null, null, 2)
            .Layer("DepthwiseConv2D", "depthwise", SyntheticKerasModel.Config(("kernel_size", Pair(1, 1)), ("strides", Pair(1, 1)), ("padding", "valid"), ("depth_multiplier", 2),
                ("groups", 1), ("activation", "linear"), ("use_bias", false)), ["input"], ("depthwise_kernel", [1, 1, 2, 2], [1f, 2f, 3f, 4f]))
            .Layer("Dense", "sum", SyntheticKerasModel.Config(("units", 1), ("activation", "linear"), ("use_bias", true)), ["depthwise"], ("kernel", [4, 1], [1f, 1f, 1f, 1f]), ("bias", [1], [0.5f]))
            .Output("depthwise").Output("sum");
        var outputs = Run(model, [1f, 10f, 2f, 20f], [1, 1, 2, 2]);
        Assert.Equal([1f, 2f, 30f, 40f, 2f, 4f, 60f, 80f], outputs["depthwise"].ToArray());
        Assert.Equal([1, 1, 2, 1], outputs["sum"].Dimensions.ToArray());
        Assert.Equal([73.5f, 146.5f], outputs["sum"].ToArray());
    }

    private static SyntheticKerasModel Upsampling(string interpolation) =>
        new SyntheticKerasModel(null, null, 1)
            .Layer("UpSampling2D", "up", SyntheticKerasModel.Config(("size", Pair(2, 2)), ("data_format", "channels_last"), ("interpolation", interpolation)), ["input"])
            .Output("up");

    private static Dictionary<string, DenseTensor<float>> Run(SyntheticKerasModel model, float[] input, int[] shape)
    {
        using var temp = new TempDir();
        var keras = KerasModel.Read(model.Write(temp.File("model.h5")));
        using var session = new InferenceSession(KerasOnnxConverter.Convert(keras));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input, shape))]);
        return results.ToDictionary(r => r.Name, r => (DenseTensor<float>)r.AsTensor<float>().Clone());
    }
}
