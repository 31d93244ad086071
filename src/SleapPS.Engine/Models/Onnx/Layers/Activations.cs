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
    /// Sigmoid as TensorFlow computes it (Eigen's <c>scalar_logistic_op</c>): exactly 1 from x = 15.6437711715698242
    /// (where the rational approximation of its non-FMA builds reaches 1) and exp(x) below −9. ONNX Runtime's Sigmoid
    /// stays an ulp or two below 1 up to x = 18 and is 0 far below: that turns SLEAP's exact ties between saturated
    /// class probabilities, which scipy breaks by index, into strict orders, and identities come out differently
    /// (the female head in frame 0 of tracks/clip.mp4). In between, the two agree to float32 rounding.
    /// </summary>
    private static string TensorFlowSigmoid(OnnxGraphBuilder graph, string x, string hint)
    {
        string sigmoid = graph.Node("Sigmoid", [x], $"{hint}_approximation");
        string saturated = graph.Node("GreaterOrEqual", [x, graph.Floats($"{hint}_upper_cutoff", [15.6437711715698242f])], $"{hint}_saturated");
        string upper = graph.Node("Where", [saturated, graph.Floats($"{hint}_one", [1f]), sigmoid], $"{hint}_upper");
        string small = graph.Node("Less", [x, graph.Floats($"{hint}_lower_cutoff", [-9f])], $"{hint}_small");
        return graph.Node("Where", [small, graph.Node("Exp", [x], $"{hint}_exp"), upper], hint);
    }
}
