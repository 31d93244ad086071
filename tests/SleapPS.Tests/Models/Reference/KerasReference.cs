using System.Text.Json.Nodes;

namespace SleapPS.Tests.Models.Reference;

/// <summary>
/// An independent float64 forward pass of a Keras best_model.h5, the yardstick for the ONNX
/// converter: it reads the file itself (<see cref="ReferenceModelFile"/>), walks the graph by
/// inbound_nodes and evaluates each layer with <see cref="ReferenceOps"/>. Only the layer types and
/// options of SLEAP's fixture models are implemented; anything else throws NotSupportedException.
/// </summary>
public static class KerasReference
{
    /// <summary>Runs the model on an NHWC input; returns every Keras output by its layer name.</summary>
    public static IReadOnlyDictionary<string, Tensor64> Run(string h5Path, Tensor64 inputNhwc) =>
        Run(ReferenceModelFile.Read(h5Path), inputNhwc);

    public static IReadOnlyDictionary<string, Tensor64> Run(ReferenceModelFile model, Tensor64 inputNhwc)
    {
        if (model.InputLayers.Count != 1)
            throw new NotSupportedException($"The reference runs single-input models; this one has {model.InputLayers.Count}.");
        var values = new Dictionary<string, Tensor64>();
        var pending = new List<ReferenceLayer>(model.Layers);
        // Layers are evaluated once all their sources are; the file order is topological, but this does not rely on it.
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(l => l.Inbound.All(values.ContainsKey))
                ?? throw new InvalidDataException($"Layers [{string.Join(", ", pending.Select(l => l.Name))}] wait on inputs that are never computed.");
            pending.Remove(ready);
            var inputs = ready.Inbound.Select(name => values[name]).ToArray();
            values[ready.Name] = ready.ClassName == "InputLayer" ? CheckInput(ready, inputNhwc) : Evaluate(ready, inputs);
        }
        return model.OutputLayers.ToDictionary(name => name, name => values[name]);
    }

    private static Tensor64 CheckInput(ReferenceLayer layer, Tensor64 input)
    {
        var declared = layer.Config["batch_input_shape"]!.AsArray();
        int channels = declared[^1]!.GetValue<int>();
        if (input.Rank != 4 || input.C != channels)
            throw new ArgumentException($"Input layer '{layer.Name}' takes NHWC with {channels} channels; got {input.ShapeText}.");
        return input;
    }

    private static Tensor64 Evaluate(ReferenceLayer layer, Tensor64[] inputs)
    {
        var config = layer.Config;
        switch (layer.ClassName)
        {
            case "Conv2D":
            {
                RequireChannelsLast(layer);
                Require(layer, "padding", "same");
                RequirePair(layer, "dilation_rate", 1, 1);
                if (config["groups"] is JsonNode groups) Require(layer, groups.GetValue<int>() == 1, "groups", groups.ToJsonString());
                var (sy, sx) = Pair(config["strides"]!);
                var conv = ReferenceOps.Conv2DSame(Single(layer, inputs), layer.Weight("kernel"), BiasOf(layer), sy, sx);
                return ReferenceOps.Activate(conv, Activation(layer));
            }
            case "Conv2DTranspose":
            {
                RequireChannelsLast(layer);
                Require(layer, "padding", "same");
                RequirePair(layer, "dilation_rate", 1, 1);
                Require(layer, config["output_padding"] is null, "output_padding", config["output_padding"]?.ToJsonString() ?? "null");
                var (sy, sx) = Pair(config["strides"]!);
                var deconv = ReferenceOps.Conv2DTransposeSame(Single(layer, inputs), layer.Weight("kernel"), BiasOf(layer), sy, sx);
                return ReferenceOps.Activate(deconv, Activation(layer));
            }
            case "Activation":
                return ReferenceOps.Activate(Single(layer, inputs), Activation(layer));
            case "MaxPooling2D":
            {
                RequireChannelsLast(layer);
                Require(layer, "padding", "same");
                var (py, px) = Pair(config["pool_size"]!);
                var (sy, sx) = config["strides"] is JsonNode strides ? Pair(strides) : (py, px);
                return ReferenceOps.MaxPoolSame(Single(layer, inputs), py, px, sy, sx);
            }
            case "UpSampling2D":
            {
                RequireChannelsLast(layer);
                Require(layer, "interpolation", "bilinear");
                var (fy, fx) = Pair(config["size"]!);
                var input = Single(layer, inputs);
                return ReferenceOps.ResizeBilinearHalfPixel(input, input.H * fy, input.W * fx);
            }
            case "Concatenate":
            {
                int axis = config["axis"]!.GetValue<int>();
                Require(layer, axis == -1 || axis == inputs[0].Rank - 1, "axis", axis.ToString());
                return ReferenceOps.ConcatenateChannels(inputs);
            }
            case "GlobalMaxPooling2D":
                RequireChannelsLast(layer);
                Require(layer, config["keepdims"]?.GetValue<bool>() != true, "keepdims", "true");
                return ReferenceOps.GlobalMaxPool(Single(layer, inputs));
            case "Flatten":
                RequireChannelsLast(layer);
                return ReferenceOps.Flatten(Single(layer, inputs));
            case "Dense":
                return ReferenceOps.Activate(ReferenceOps.Dense(Single(layer, inputs), layer.Weight("kernel"), BiasOf(layer)), Activation(layer));
            default:
                throw new NotSupportedException($"The reference has no layer type '{layer.ClassName}' (layer '{layer.Name}').");
        }
    }

    private static Tensor64 Single(ReferenceLayer layer, Tensor64[] inputs) =>
        inputs.Length == 1 ? inputs[0] : throw new InvalidDataException($"Layer '{layer.Name}' has {inputs.Length} inputs; expected 1.");

    private static ReferenceWeight? BiasOf(ReferenceLayer layer) =>
        layer.Config["use_bias"]?.GetValue<bool>() == false ? null : layer.Weight("bias");

    private static string Activation(ReferenceLayer layer) => layer.Config["activation"]?.GetValue<string>() ?? "linear";

    private static (int, int) Pair(JsonNode node) => (node[0]!.GetValue<int>(), node[1]!.GetValue<int>());

    private static void RequireChannelsLast(ReferenceLayer layer)
    {
        if (layer.Config["data_format"] is JsonNode format) Require(layer, "data_format", "channels_last", format);
    }

    private static void Require(ReferenceLayer layer, string key, string expected, JsonNode? value = null)
    {
        string actual = (value ?? layer.Config[key])?.GetValue<string>() ?? "null";
        Require(layer, actual == expected, key, actual);
    }

    private static void RequirePair(ReferenceLayer layer, string key, int a, int b)
    {
        if (layer.Config[key] is not JsonNode node) return;
        Require(layer, Pair(node) == (a, b), key, node.ToJsonString());
    }

    private static void Require(ReferenceLayer layer, bool ok, string key, string actual)
    {
        if (!ok) throw new NotSupportedException($"The reference does not implement {layer.ClassName} '{layer.Name}' with {key} = {actual}.");
    }
}
