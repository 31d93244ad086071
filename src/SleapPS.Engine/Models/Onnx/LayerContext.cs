using SleapPS.Engine.Models.Keras;

namespace SleapPS.Engine.Models.Onnx;

/// <summary>
/// A tensor of the ONNX graph as the converter tracks it. Rank 4 tensors are NCHW inside the graph
/// (Keras' NHWC is transposed once at the input and once per output); rank 2 tensors are [N, features].
/// <paramref name="Channels"/> is the size of Keras' last axis when known.
/// </summary>
internal sealed record TensorInfo(string Name, int Rank, int? Channels)
{
    /// <summary>The ONNX axis that holds Keras' last (channel) axis.</summary>
    public const int ChannelAxis = 1;

    /// <summary>The ONNX axis of Keras axis <paramref name="kerasAxis"/> (negative counts from the end).</summary>
    public int OnnxAxis(int kerasAxis)
    {
        int axis = kerasAxis < 0 ? kerasAxis + Rank : kerasAxis;
        if (axis < 0 || axis >= Rank) return -1;
        if (Rank != 4 || axis == 0) return axis;
        return axis == 3 ? ChannelAxis : axis + 1; // Keras (N, H, W, C) -> ONNX (N, C, H, W)
    }
}

/// <summary>Everything one layer's conversion needs: the layer, its strict config, its inputs, the graph.</summary>
internal sealed class LayerContext
{
    public LayerContext(KerasLayer layer, string modelPath, IReadOnlyList<TensorInfo> inputs, OnnxGraphBuilder graph)
    {
        Layer = layer;
        ModelPath = modelPath;
        Inputs = inputs;
        Graph = graph;
        Config = new LayerConfig(layer, modelPath);
    }

    public KerasLayer Layer { get; }
    public string ModelPath { get; }
    public IReadOnlyList<TensorInfo> Inputs { get; }
    public OnnxGraphBuilder Graph { get; }
    public LayerConfig Config { get; }

    /// <summary>A name hint for the tensors this layer writes.</summary>
    public string Hint => Layer.Name;

    /// <summary>The one input of a single-input layer, checked to have one of the given ranks.</summary>
    public TensorInfo SingleInput(params int[] ranks)
    {
        if (Inputs.Count != 1)
            throw Config.Invalid($"is called on {Inputs.Count} tensors instead of one");
        TensorInfo input = Inputs[0];
        if (ranks.Length > 0 && !ranks.Contains(input.Rank))
            throw Config.Unsupported($"an input of rank {input.Rank} (expected rank {string.Join(" or ", ranks)})");
        return input;
    }

    /// <summary>The weight <paramref name="variable"/>, checked against the expected shape (null = any size on that axis).</summary>
    public KerasWeight Weight(string variable, params int?[] shape)
    {
        KerasWeight weight = Layer.FindWeight(variable)
            ?? throw Config.Invalid($"has no '{variable}' weight (it lists {(Layer.Weights.Count == 0 ? "no weights" : string.Join(", ", Layer.Weights.Select(w => w.Name)))})");
        bool matches = weight.Shape.Count == shape.Length;
        for (int i = 0; matches && i < shape.Length; i++)
            matches = shape[i] is null || shape[i] == weight.Shape[i];
        if (!matches)
            throw Config.Invalid($"has a '{variable}' weight of shape ({string.Join(", ", weight.Shape)}), but its config and input need ({string.Join(", ", shape.Select(s => s?.ToString() ?? "?"))})");
        return weight;
    }
}
