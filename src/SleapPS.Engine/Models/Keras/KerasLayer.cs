using System.Text.Json.Nodes;

namespace SleapPS.Engine.Models.Keras;

/// <summary>A reference to another layer's output, from a Keras <c>inbound_nodes</c> entry.</summary>
public sealed record KerasTensorRef(string Layer, int NodeIndex, int TensorIndex);

/// <summary>One layer of a Keras functional model: its class, its config, what feeds it, and its weights.</summary>
public sealed class KerasLayer
{
    internal KerasLayer(string name, string className, JsonObject config, IReadOnlyList<KerasTensorRef> inbound, IReadOnlyList<KerasWeight> weights)
    {
        Name = name;
        ClassName = className;
        Config = config;
        Inbound = inbound;
        Weights = weights;
    }

    public string Name { get; }

    /// <summary>The Keras class, e.g. <c>Conv2D</c>, <c>MaxPooling2D</c>, <c>Lambda</c>.</summary>
    public string ClassName { get; }

    /// <summary>The layer's <c>config</c> object from model_config.</summary>
    public JsonObject Config { get; }

    /// <summary>The tensors this layer is called on, in call order (empty for the input layer).</summary>
    public IReadOnlyList<KerasTensorRef> Inbound { get; }

    /// <summary>The layer's weights in <c>weight_names</c> order (empty for weightless layers).</summary>
    public IReadOnlyList<KerasWeight> Weights { get; }

    /// <summary>The weight whose variable is <paramref name="variable"/> (e.g. "kernel"), or null.</summary>
    public KerasWeight? FindWeight(string variable) => Weights.FirstOrDefault(w => w.Variable == variable);

    public long ParameterCount => Weights.Sum(w => (long)w.Values.Length);

    public override string ToString() => $"{Name} ({ClassName})";
}
