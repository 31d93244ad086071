namespace SleapPS.Engine.Models.Onnx.Layers;

/// <summary>
/// Lambda layers store marshalled Python bytecode, which cannot run here. SLEAP's own Lambda layers
/// are recognised by name and replaced by the ops their functions perform (docs/design/models.md §4.2):
/// <list type="bullet">
/// <item><c>tile_channels</c> (ResNet): tf.tile(x, [1, 1, 1, 3]).</item>
/// <item><c>imagenet_preproc_v1</c> (ResNet): x * 255, channels reversed (RGB to BGR), minus (103.939, 116.779, 123.68).</item>
/// <item><c>ensure_rgb</c> (pretrained encoders): a 1-channel image repeated to 3 channels; other images unchanged.</item>
/// </list>
/// </summary>
internal static class LambdaLayers
{
    public static TensorInfo Lambda(LayerContext context)
    {
        // The function, its kind, output shape and captured arguments define the layer; its name tells which of SLEAP's it is.
        context.Config.Ignore("function", "function_type", "module", "output_shape", "output_shape_type", "output_shape_module", "arguments");
        TensorInfo x = context.SingleInput(4);
        return context.Layer.Name switch
        {
            "tile_channels" => Tile3(context, x),
            "ensure_rgb" => x.Channels == 1 ? Tile3(context, x)
                : x.Channels is null ? throw context.Config.Unsupported("an input with an unknown channel count") : x,
            "imagenet_preproc_v1" => ImagenetCaffe(context, x),
            _ => throw context.Config.Unsupported("a Python function (Lambda layers other than SLEAP's tile_channels, imagenet_preproc_v1 and ensure_rgb)"),
        };
    }

    private static TensorInfo Tile3(LayerContext context, TensorInfo x)
    {
        string repeats = context.Graph.Int64s($"{context.Hint}_repeats", 1, 3, 1, 1);
        return new TensorInfo(context.Graph.Node("Tile", [x.Name, repeats], context.Hint), 4, x.Channels * 3);
    }

    private static TensorInfo ImagenetCaffe(LayerContext context, TensorInfo x)
    {
        if (x.Channels != 3) throw context.Config.Unsupported($"an input with {x.Channels?.ToString() ?? "an unknown number of"} channels (imagenet_preproc_v1 needs RGB)");
        var graph = context.Graph;
        string scaled = graph.Node("Mul", [x.Name, graph.Floats($"{context.Hint}_255", [255f])], $"{context.Hint}_scaled");
        string bgr = graph.Node("Gather", [scaled, graph.Int64s($"{context.Hint}_bgr", 2, 1, 0)], $"{context.Hint}_bgr", OnnxGraphBuilder.Int("axis", 1));
        string means = graph.Floats($"{context.Hint}_means", [103.939f, 116.779f, 123.68f], 1, 3, 1, 1);
        return x with { Name = graph.Node("Sub", [bgr, means], context.Hint) };
    }
}
