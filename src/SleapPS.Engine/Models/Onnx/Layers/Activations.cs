namespace SleapPS.Engine.Models.Onnx.Layers;

/// <summary>
/// Keras 2.x activation functions by name, as ONNX nodes. Used for the <c>activation</c> option of
/// Conv2D/Dense/... and for Activation layers. Softmax runs over Keras' last axis (the channels).
/// </summary>
internal static class Activations
{
    /// <summary>Applies the activation named in the config key <paramref name="key"/> (default linear).</summary>
    public static TensorInfo ApplyConfigured(LayerContext context, TensorInfo x, string key = "activation")
    {
        string name = context.Config.String(key, "linear");
        return x with { Name = Apply(context, x, name, key) };
    }

    public static string Apply(LayerContext context, TensorInfo x, string activation, string key = "activation")
    {
        var graph = context.Graph;
        string hint = $"{context.Hint}_{activation}";
        return activation switch
        {
            "linear" => x.Name,
            "relu" => graph.Node("Relu", [x.Name], hint),
            "sigmoid" => graph.Node("Sigmoid", [x.Name], hint),
            "tanh" => graph.Node("Tanh", [x.Name], hint),
            "softmax" => graph.Node("Softmax", [x.Name], hint, OnnxGraphBuilder.Int("axis", TensorInfo.ChannelAxis)),
            "elu" => graph.Node("Elu", [x.Name], hint, OnnxGraphBuilder.Float("alpha", 1f)),
            "selu" => graph.Node("Selu", [x.Name], hint),
            "softplus" => graph.Node("Softplus", [x.Name], hint),
            "softsign" => graph.Node("Softsign", [x.Name], hint),
            "exponential" => graph.Node("Exp", [x.Name], hint),
            // Keras 2.x: clip(0.2 x + 0.5, 0, 1), which is ONNX HardSigmoid's default.
            "hard_sigmoid" => graph.Node("HardSigmoid", [x.Name], hint, OnnxGraphBuilder.Float("alpha", 0.2f), OnnxGraphBuilder.Float("beta", 0.5f)),
            "swish" or "silu" => graph.Node("Mul", [x.Name, graph.Node("Sigmoid", [x.Name], $"{hint}_gate")], hint),
            _ => throw context.Config.Unsupported($"{key} {activation}"),
        };
    }
}
