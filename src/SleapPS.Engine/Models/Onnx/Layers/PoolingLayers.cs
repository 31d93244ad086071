namespace SleapPS.Engine.Models.Onnx.Layers;

/// <summary>MaxPooling2D, AveragePooling2D and their global forms.</summary>
internal static class PoolingLayers
{
    /// <summary>TF max pooling: "same" pads at the bottom/right (SAME_UPPER) and padding never wins the max.</summary>
    public static TensorInfo MaxPooling2D(LayerContext context) => Pool(context, "MaxPool");

    /// <summary>TF average pooling: "same" padding is not counted in the average (count_include_pad 0).</summary>
    public static TensorInfo AveragePooling2D(LayerContext context) => Pool(context, "AveragePool");

    private static TensorInfo Pool(LayerContext context, string opType)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput(4);
        config.RequireChannelsLast();
        var pool = config.Pair("pool_size", (2, 2));
        var strides = config.Raw("strides") is null ? pool : config.Pair("strides");
        string padding = config.OneOf("padding", "valid", "same");

        var attributes = SamePadding.Attributes(context, padding, pool, strides, (1, 1));
        attributes.Add(OnnxGraphBuilder.Ints("kernel_shape", pool.Height, pool.Width));
        attributes.Add(OnnxGraphBuilder.Ints("strides", strides.Height, strides.Width));
        if (opType == "AveragePool")
            attributes.Add(OnnxGraphBuilder.Int("count_include_pad", 0));
        return x with { Name = context.Graph.Node(opType, [x.Name], context.Hint, [.. attributes]) };
    }

    public static TensorInfo GlobalMaxPooling2D(LayerContext context) => GlobalPool(context, "ReduceMax");

    public static TensorInfo GlobalAveragePooling2D(LayerContext context) => GlobalPool(context, "ReduceMean");

    /// <summary>Reduces over H and W: (N, C) or, with keepdims (Keras 2.6+), (N, C, 1, 1).</summary>
    private static TensorInfo GlobalPool(LayerContext context, string opType)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput(4);
        config.RequireChannelsLast();
        bool keepDims = config.Bool("keepdims", false);
        string pooled = context.Graph.Node(opType, [x.Name], context.Hint,
            OnnxGraphBuilder.Ints("axes", 2, 3), OnnxGraphBuilder.Int("keepdims", keepDims ? 1 : 0));
        return new TensorInfo(pooled, keepDims ? 4 : 2, x.Channels);
    }
}
