namespace SleapPS.Engine.Models.Onnx.Layers;

/// <summary>UpSampling2D, ZeroPadding2D and Cropping2D: layers that change H and W without weights.</summary>
internal static class ResamplingLayers
{
    /// <summary>
    /// Keras 2.x UpSampling2D = tf.image.resize (v2) by an integer factor:
    /// bilinear uses half-pixel centres without antialiasing (ONNX Resize linear, half_pixel);
    /// nearest picks source cell floor((o + 0.5) / f), which for an integer factor f is floor(o / f)
    /// (ONNX Resize nearest, asymmetric, floor).
    /// </summary>
    public static TensorInfo UpSampling2D(LayerContext context)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput(4);
        config.RequireChannelsLast();
        var size = config.Pair("size", (2, 2));
        if (size.Height < 1 || size.Width < 1) throw config.Unsupported($"size {size.Height}x{size.Width}");
        string interpolation = config.OneOf("interpolation", "nearest", "bilinear");

        var graph = context.Graph;
        string scales = graph.Floats($"{context.Hint}_scales", [1f, 1f, size.Height, size.Width], 4);
        string resized = interpolation == "bilinear"
            ? graph.Node("Resize", [x.Name, "", scales], context.Hint,
                OnnxGraphBuilder.String("mode", "linear"),
                OnnxGraphBuilder.String("coordinate_transformation_mode", "half_pixel"))
            : graph.Node("Resize", [x.Name, "", scales], context.Hint,
                OnnxGraphBuilder.String("mode", "nearest"),
                OnnxGraphBuilder.String("coordinate_transformation_mode", "asymmetric"),
                OnnxGraphBuilder.String("nearest_mode", "floor"));
        return x with { Name = resized };
    }

    /// <summary>Zeros around H and W: padding is ((top, bottom), (left, right)), (h, w) or one int.</summary>
    public static TensorInfo ZeroPadding2D(LayerContext context)
    {
        TensorInfo x = context.SingleInput(4);
        context.Config.RequireChannelsLast();
        var (top, bottom, left, right) = Margins(context, "padding");
        string pads = context.Graph.Int64s($"{context.Hint}_pads", 0, 0, top, left, 0, 0, bottom, right);
        return x with { Name = context.Graph.Node("Pad", [x.Name, pads], context.Hint, OnnxGraphBuilder.String("mode", "constant")) };
    }

    /// <summary>Removes cells from the borders of H and W (same ((top, bottom), (left, right)) forms).</summary>
    public static TensorInfo Cropping2D(LayerContext context)
    {
        TensorInfo x = context.SingleInput(4);
        context.Config.RequireChannelsLast();
        var (top, bottom, left, right) = Margins(context, "cropping");
        var graph = context.Graph;
        // Ends counted from the end: -bottom, or "to the end" when nothing is cropped there.
        string starts = graph.Int64s($"{context.Hint}_starts", top, left);
        string ends = graph.Int64s($"{context.Hint}_ends", bottom == 0 ? long.MaxValue : -bottom, right == 0 ? long.MaxValue : -right);
        string axes = graph.Int64s($"{context.Hint}_axes", 2, 3);
        return x with { Name = graph.Node("Slice", [x.Name, starts, ends, axes], context.Hint) };
    }

    private static (long Top, long Bottom, long Left, long Right) Margins(LayerContext context, string key)
    {
        var node = context.Config.Raw(key);
        if (node is System.Text.Json.Nodes.JsonArray { Count: 2 } pair
            && pair[0] is System.Text.Json.Nodes.JsonArray { Count: 2 } rows && pair[1] is System.Text.Json.Nodes.JsonArray { Count: 2 } cols)
        {
            long[] values = [rows[0]!.GetValue<int>(), rows[1]!.GetValue<int>(), cols[0]!.GetValue<int>(), cols[1]!.GetValue<int>()];
            if (values.Any(v => v < 0)) throw context.Config.Unsupported($"{key} {node.ToJsonString()}");
            return (values[0], values[1], values[2], values[3]);
        }
        var (height, width) = context.Config.Pair(key);
        if (height < 0 || width < 0) throw context.Config.Unsupported($"{key} {node?.ToJsonString()}");
        return (height, height, width, width);
    }
}
