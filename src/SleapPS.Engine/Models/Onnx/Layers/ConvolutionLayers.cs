namespace SleapPS.Engine.Models.Onnx.Layers;

/// <summary>Conv2D, DepthwiseConv2D and Conv2DTranspose (docs/design/models.md §3 weight layouts, §4 semantics).</summary>
internal static class ConvolutionLayers
{
    public static TensorInfo Conv2D(LayerContext context)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput(4);
        config.RequireChannelsLast();
        int filters = config.Int("filters");
        var kernel = config.Pair("kernel_size");
        var strides = config.Pair("strides", (1, 1));
        var dilation = config.Pair("dilation_rate", (1, 1));
        string padding = config.OneOf("padding", "valid", "same");
        int groups = config.Int("groups", 1);
        if (groups != 1) throw config.Unsupported($"groups {groups}");
        bool useBias = config.Bool("use_bias", true);

        var kernelWeight = context.Weight("kernel", kernel.Height, kernel.Width, x.Channels, filters);
        var (w, wShape) = WeightLayout.Permute4(kernelWeight.Values, kernelWeight.Shape, 3, 2, 0, 1);
        string weights = context.Graph.Floats($"{context.Hint}_kernel", w, wShape);
        return Conv(context, x, weights, useBias, filters, padding, kernel, strides, dilation, group: null);
    }

    /// <summary>Depthwise convolution: each input channel c gets depth_multiplier filters, written to channels c*m .. c*m+m-1.</summary>
    public static TensorInfo DepthwiseConv2D(LayerContext context)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput(4);
        config.RequireChannelsLast();
        int channels = x.Channels ?? throw config.Unsupported("an input with an unknown channel count");
        int multiplier = config.Int("depth_multiplier", 1);
        int groups = config.Int("groups", 1); // Keras keeps Conv2D's groups (always 1) in the config
        if (groups != 1) throw config.Unsupported($"groups {groups}");
        var kernel = config.Pair("kernel_size");
        var strides = config.Pair("strides", (1, 1));
        var dilation = config.Pair("dilation_rate", (1, 1));
        string padding = config.OneOf("padding", "valid", "same");
        bool useBias = config.Bool("use_bias", true);
        int outChannels = channels * multiplier;

        // Keras (kh, kw, C, m) -> ONNX (C*m, 1, kh, kw): the same permutation with the last two axes merged.
        var kernelWeight = context.Weight("depthwise_kernel", kernel.Height, kernel.Width, channels, multiplier);
        var (w, _) = WeightLayout.Permute4(kernelWeight.Values, [kernel.Height, kernel.Width, 1, outChannels], 3, 2, 0, 1);
        string weights = context.Graph.Floats($"{context.Hint}_kernel", w, outChannels, 1, kernel.Height, kernel.Width);
        return Conv(context, x, weights, useBias, outChannels, padding, kernel, strides, dilation, group: channels);
    }

    /// <summary>
    /// The ONNX Conv of a Keras convolution whose kernel is already in ONNX layout: the layer's bias when it has one, TF's
    /// padding (<see cref="SamePadding"/>), kernel shape, strides, dilations and, for a depthwise one, the group; then the
    /// layer's activation.
    /// </summary>
    private static TensorInfo Conv(LayerContext context, TensorInfo x, string weights, bool useBias, int outChannels, string padding,
        (int Height, int Width) kernel, (int Height, int Width) strides, (int Height, int Width) dilation, int? group)
    {
        var inputs = new List<string> { x.Name, weights };
        if (useBias)
            inputs.Add(Bias(context, outChannels));

        var attributes = SamePadding.Attributes(context, padding, kernel, strides, dilation);
        attributes.Add(OnnxGraphBuilder.Ints("kernel_shape", kernel.Height, kernel.Width));
        attributes.Add(OnnxGraphBuilder.Ints("strides", strides.Height, strides.Width));
        attributes.Add(OnnxGraphBuilder.Ints("dilations", dilation.Height, dilation.Width));
        if (group is int groups)
            attributes.Add(OnnxGraphBuilder.Int("group", groups));
        string conv = context.Graph.Node("Conv", inputs, context.Hint, [.. attributes]);
        return Activations.ApplyConfigured(context, new TensorInfo(conv, 4, outChannels));
    }

    /// <summary>The layer's bias weights, one per output channel, as a graph initializer.</summary>
    private static string Bias(LayerContext context, int outChannels) =>
        context.Graph.Floats($"{context.Hint}_bias", context.Weight("bias", outChannels).Values, outChannels);

    /// <summary>
    /// Keras Conv2DTranspose = TF conv2d_transpose with output size n*s ("same") or n*s + max(k - s, 0)
    /// ("valid"). The full transposed convolution has (n - 1)*s + k cells; "same" crops the forward
    /// conv's SAME padding from it, floor((k - s)/2) at the top/left and the rest at the bottom/right
    /// (3x3 stride 2: pads [0, 0, 1, 1], docs/design/models.md §4). When k &lt; s the result is longer than the full
    /// convolution and the extra s - k cells at the end hold only the bias: ONNX output_padding.
    /// Kernel (kh, kw, Cout, Cin) -> ONNX (Cin, Cout, kh, kw), no flip.
    /// </summary>
    public static TensorInfo Conv2DTranspose(LayerContext context)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput(4);
        config.RequireChannelsLast();
        int filters = config.Int("filters");
        var kernel = config.Pair("kernel_size");
        var strides = config.Pair("strides", (1, 1));
        var dilation = config.Pair("dilation_rate", (1, 1));
        if (dilation != (1, 1)) throw config.Unsupported($"dilation_rate {dilation.Height}x{dilation.Width}");
        string padding = config.OneOf("padding", "valid", "same");
        if (config.Raw("output_padding") is { } outputPadding)
            throw config.Unsupported($"output_padding {outputPadding.ToJsonString()}");
        int groups = config.Has("groups") ? config.Int("groups") : 1;
        if (groups != 1) throw config.Unsupported($"groups {groups}");
        bool useBias = config.Bool("use_bias", true);

        var kernelWeight = context.Weight("kernel", kernel.Height, kernel.Width, filters, x.Channels);
        var (w, wShape) = WeightLayout.Permute4(kernelWeight.Values, kernelWeight.Shape, 3, 2, 0, 1);
        var inputs = new List<string> { x.Name, context.Graph.Floats($"{context.Hint}_kernel", w, wShape) };
        if (useBias)
            inputs.Add(Bias(context, filters));

        var (cropTop, cropBottom, extraHeight) = Crop(padding, kernel.Height, strides.Height);
        var (cropLeft, cropRight, extraWidth) = Crop(padding, kernel.Width, strides.Width);
        string conv = context.Graph.Node("ConvTranspose", inputs, context.Hint,
            OnnxGraphBuilder.Ints("kernel_shape", kernel.Height, kernel.Width),
            OnnxGraphBuilder.Ints("strides", strides.Height, strides.Width),
            OnnxGraphBuilder.Ints("pads", cropTop, cropLeft, cropBottom, cropRight),
            OnnxGraphBuilder.Ints("output_padding", extraHeight, extraWidth));
        return Activations.ApplyConfigured(context, new TensorInfo(conv, 4, filters));
    }

    private static (long Begin, long End, long Extra) Crop(string padding, int kernel, int stride)
    {
        if (kernel < stride) return (0, 0, stride - kernel);
        if (padding == "valid") return (0, 0, 0);
        int total = kernel - stride;
        return (total / 2, total - total / 2, 0);
    }
}
