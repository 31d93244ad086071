using System.Text.Json.Nodes;
using PureHDF;

namespace SleapPS.Tests.Models.Reference;

/// <summary>One weight array of a layer, widened to float64, with its Keras shape.</summary>
public sealed record ReferenceWeight(int[] Shape, double[] Values);

/// <summary>A layer as the file describes it: class, name, config, the layers that feed it, its weights by short name ("kernel", "bias").</summary>
public sealed record ReferenceLayer(
    string ClassName,
    string Name,
    JsonObject Config,
    IReadOnlyList<string> Inbound,
    IReadOnlyDictionary<string, ReferenceWeight> Weights)
{
    public ReferenceWeight Weight(string shortName) =>
        Weights.TryGetValue(shortName, out var weight) ? weight
            : throw new InvalidDataException($"Layer '{Name}' ({ClassName}) has no '{shortName}' weight; it has [{string.Join(", ", Weights.Keys)}].");
}

/// <summary>
/// The test project's own reading of a Keras 2.x best_model.h5 (docs/design/models.md §3), written apart
/// from the engine's converter so the two cannot share a misreading: the graph from the root
/// attribute <c>model_config</c>, the weights from <c>/model_weights/&lt;layer&gt;/&lt;weight name&gt;</c>.
/// </summary>
public sealed class ReferenceModelFile
{
    private ReferenceModelFile(IReadOnlyList<ReferenceLayer> layers, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        Layers = layers;
        InputLayers = inputs;
        OutputLayers = outputs;
    }

    /// <summary>Layers in file order (which Keras writes topologically sorted).</summary>
    public IReadOnlyList<ReferenceLayer> Layers { get; }
    public IReadOnlyList<string> InputLayers { get; }
    /// <summary>Output layer names in Keras output order.</summary>
    public IReadOnlyList<string> OutputLayers { get; }

    public static ReferenceModelFile Read(string h5Path)
    {
        using var file = H5File.OpenRead(h5Path);
        var modelConfig = JsonNode.Parse(file.Attribute("model_config").Read<string>())!.AsObject();
        var graph = modelConfig["config"]!.AsObject();
        IH5Group weightsRoot = file.Group("model_weights");

        var layers = new List<ReferenceLayer>();
        foreach (var entry in graph["layers"]!.AsArray())
        {
            string name = entry!["name"]!.GetValue<string>();
            layers.Add(new ReferenceLayer(
                entry["class_name"]!.GetValue<string>(),
                name,
                entry["config"]!.AsObject(),
                InboundNames(entry["inbound_nodes"]!.AsArray(), name),
                ReadWeights(weightsRoot, name)));
        }
        return new ReferenceModelFile(layers, EndpointNames(graph["input_layers"]!), EndpointNames(graph["output_layers"]!));
    }

    /// <summary>
    /// The source layers of the layer's single call: inbound_nodes is [[[src, node, tensor, kwargs], ...]].
    /// SLEAP's models call every layer once; a shared layer would need per-call bookkeeping this reference does not do.
    /// </summary>
    private static string[] InboundNames(JsonArray inboundNodes, string layerName)
    {
        if (inboundNodes.Count == 0) return [];
        if (inboundNodes.Count > 1)
            throw new NotSupportedException($"Layer '{layerName}' is called {inboundNodes.Count} times; the reference handles single-call layers only.");
        return inboundNodes[0]!.AsArray().Select(source =>
        {
            var call = source!.AsArray();
            if (call[2]!.GetValue<int>() != 0)
                throw new NotSupportedException($"Layer '{layerName}' reads output tensor {call[2]} of '{call[0]}'; the reference handles single-output layers only.");
            return call[0]!.GetValue<string>();
        }).ToArray();
    }

    /// <summary>[[name, 0, 0], ...] -> names.</summary>
    private static string[] EndpointNames(JsonNode endpoints) =>
        endpoints.AsArray().Select(e => e![0]!.GetValue<string>()).ToArray();

    private static Dictionary<string, ReferenceWeight> ReadWeights(IH5Group weightsRoot, string layerName)
    {
        var weights = new Dictionary<string, ReferenceWeight>();
        if (!weightsRoot.LinkExists(layerName)) return weights;
        IH5Group layerGroup = weightsRoot.Group(layerName);
        var namesAttribute = layerGroup.Attribute("weight_names");
        // A weightless layer stores an empty float64 array here; Keras 2.4 writes fixed-length bytes, 2.7 vlen strings.
        if (namesAttribute.Type.Class != H5DataTypeClass.String && namesAttribute.Type.Class != H5DataTypeClass.VariableLength)
            return weights;
        foreach (string rawName in namesAttribute.Read<string[]>())
        {
            string weightName = rawName.TrimEnd('\0');                       // "<layer>/kernel:0"
            IH5Dataset dataset = layerGroup.Dataset(weightName);
            int[] shape = dataset.Space.Dimensions.Select(d => checked((int)d)).ToArray();
            double[] values = Array.ConvertAll(dataset.Read<float[]>(), v => (double)v);
            string shortName = weightName[(weightName.LastIndexOf('/') + 1)..].Split(':')[0];   // "kernel"
            weights.Add(shortName, new ReferenceWeight(shape, values));
        }
        return weights;
    }
}
