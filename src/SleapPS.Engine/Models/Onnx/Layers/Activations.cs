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
            "sigmoid" => TensorFlowSigmoid(graph, x.Name, hint),
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

    /// <summary>
    /// Sigmoid as 1 / (1 + exp(−x)) in float32, which is what the TensorFlow that wrote SLEAP's reference predictions
    /// (tracks/clip.predictions.slp) computed: it is exactly 1 once exp(−x) vanishes next to 1 (x above about 16.64).
    /// ONNX Runtime's Sigmoid is a rational approximation that stays one float step below 1 up to x = 18. The
    /// difference matters: SLEAP assigns peaks to identity classes by their probabilities, and saturated peaks tie
    /// at exactly 1, which scipy breaks by peak order; one step below 1 breaks the tie differently (tracks/clip.mp4
    /// frames 0 and 989: logits 16.72 and 16.63 came out 1 and below 1 in SLEAP's run).
    /// </summary>
    private static string TensorFlowSigmoid(OnnxGraphBuilder graph, string x, string hint)
    {
        string one = graph.Floats($"{hint}_one", [1f]);
        string exponential = graph.Node("Exp", [graph.Node("Neg", [x], $"{hint}_negated")], $"{hint}_exp");
        return graph.Node("Div", [one, graph.Node("Add", [one, exponential], $"{hint}_denominator")], hint);
    }
}
