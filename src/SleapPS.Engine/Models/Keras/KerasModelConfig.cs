using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleapPS.Engine.Models.Keras;

/// <summary>
/// The layer graph described by the <c>model_config</c> JSON of a Keras 2.x functional model
/// (<c>{"class_name": "Functional", "config": {"layers": [...], "input_layers": ..., "output_layers": ...}}</c>).
/// Problems are reported as <see cref="InvalidDataException"/> (malformed) or <see cref="SleapException"/>
/// (NotSupported); the reader adds the path.
/// </summary>
internal sealed class KerasModelConfig
{
    private static readonly HashSet<string> NestedModelClasses = new(StringComparer.Ordinal) { "Functional", "Model", "Sequential" };

    public required string Name { get; init; }
    public required IReadOnlyList<LayerSpec> Layers { get; init; }
    public required IReadOnlyList<KerasTensorRef> Inputs { get; init; }
    public required IReadOnlyList<KerasTensorRef> Outputs { get; init; }

    public sealed record LayerSpec(string Name, string ClassName, JsonObject Config, IReadOnlyList<KerasTensorRef> Inbound);

    public static KerasModelConfig Parse(string json, string path)
    {
        JsonNode? root;
        try { root = IO.Json.PythonJson.ParseChecked(json); }
        catch (JsonException ex) { throw new InvalidDataException($"Its model_config attribute is not valid JSON ({ex.Message})."); }

        if (root is not JsonObject model)
            throw new InvalidDataException("Its model_config attribute is not a JSON object.");
        string modelClass = model["class_name"]?.GetValue<string>() ?? "";
        if (modelClass == "Sequential")
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The Keras model '{path}' is a Sequential model; SleapPS converts the functional models that SLEAP saves. Choose the best_model.h5 of a SLEAP model folder.", path);
        if (modelClass is not ("Functional" or "Model"))
            throw new InvalidDataException($"Its model_config describes a '{modelClass}', not a Keras functional model.");
        var config = model["config"] as JsonObject ?? throw new InvalidDataException("Its model_config has no 'config' object.");
        var layers = config["layers"] as JsonArray ?? throw new InvalidDataException("Its model_config has no 'layers' list.");

        var specs = new List<LayerSpec>(layers.Count);
        foreach (JsonNode? node in layers)
        {
            if (node is not JsonObject layer)
                throw new InvalidDataException("An entry of model_config's 'layers' is not an object.");
            string className = layer["class_name"]?.GetValue<string>() ?? throw new InvalidDataException("A layer in model_config has no 'class_name'.");
            var layerConfig = layer["config"] as JsonObject ?? throw new InvalidDataException($"A {className} layer in model_config has no 'config'.");
            string name = layer["name"]?.GetValue<string>() ?? layerConfig["name"]?.GetValue<string>()
                ?? throw new InvalidDataException($"A {className} layer in model_config has no name.");
            if (NestedModelClasses.Contains(className))
                throw new SleapException(SleapErrorKind.NotSupported,
                    $"Layer '{name}' ({className}) is a nested Keras model (such as a pretrained encoder), which SleapPS cannot convert. Model: '{path}'. Train the model with a UNet, LEAP, hourglass or ResNet backbone, or export it to ONNX with sleap-nn.", path);
            specs.Add(new LayerSpec(name, className, layerConfig, ReadInbound(layer, name, className, path)));
        }

        return new KerasModelConfig
        {
            Name = config["name"]?.GetValue<string>() ?? "",
            Layers = specs,
            Inputs = ReadRefList(config["input_layers"], "input_layers"),
            Outputs = ReadRefList(config["output_layers"], "output_layers"),
        };
    }

    /// <summary>The tensors a layer is called on. SLEAP's layers are each called once (one inbound node).</summary>
    private static IReadOnlyList<KerasTensorRef> ReadInbound(JsonObject layer, string name, string className, string path)
    {
        if (layer["inbound_nodes"] is not JsonArray nodes || nodes.Count == 0)
            return [];
        if (nodes.Count > 1)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"Layer '{name}' ({className}) is called {nodes.Count} times (a shared layer), which SleapPS cannot convert. Model: '{path}'.", path);
        if (nodes[0] is not JsonArray calls)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"Layer '{name}' ({className}) stores its inputs in a format other than Keras 2.x's, which SleapPS cannot convert. Model: '{path}'. Save the model with SLEAP 1.x (TensorFlow 2.x).", path);
        return calls.Select(call => ReadRef(call, $"inbound_nodes of layer '{name}'")).ToList();
    }

    private static IReadOnlyList<KerasTensorRef> ReadRefList(JsonNode? node, string what)
    {
        if (node is not JsonArray list)
            throw new InvalidDataException($"Its model_config has no '{what}' list.");
        // A single-tensor list may be written flat: ["input", 0, 0].
        if (list.Count > 0 && list[0] is JsonValue)
            return [ReadRef(list, what)];
        return list.Select(entry => ReadRef(entry, what)).ToList();
    }

    private static KerasTensorRef ReadRef(JsonNode? node, string what)
    {
        if (node is not JsonArray { Count: >= 3 } entry)
            throw new InvalidDataException($"An entry of {what} in model_config is not [layer, node, tensor].");
        try
        {
            return new KerasTensorRef(entry[0]!.GetValue<string>(), entry[1]!.GetValue<int>(), entry[2]!.GetValue<int>());
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new InvalidDataException($"An entry of {what} in model_config is not [layer, node, tensor].");
        }
    }
}
