using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SleapPS.Engine.Models.Keras;

namespace SleapPS.Engine.Models.Onnx;

/// <summary>
/// Strict access to a Keras layer's config. Every key a converter reads is marked as understood;
/// <see cref="RejectUnknownKeys"/> then refuses any other key that could change what the layer
/// computes, so an option nobody handled can never produce a silently wrong graph.
/// </summary>
internal sealed class LayerConfig
{
    private readonly KerasLayer _layer;
    private readonly string _modelPath;
    private readonly HashSet<string> _understood = new(StringComparer.Ordinal) { "name", "trainable", "dtype" };

    public LayerConfig(KerasLayer layer, string modelPath)
    {
        _layer = layer;
        _modelPath = modelPath;
    }

    /// <summary>Training-only keys: initializers, regularizers and constraints never affect inference.</summary>
    private static bool IsTrainingOnly(string key) =>
        key.EndsWith("_initializer", StringComparison.Ordinal) || key.EndsWith("_regularizer", StringComparison.Ordinal)
        || key.EndsWith("_constraint", StringComparison.Ordinal);

    /// <summary>Marks keys whose value does not matter at inference (e.g. BatchNormalization's momentum).</summary>
    public void Ignore(params string[] keys) => _understood.UnionWith(keys);

    public JsonNode? Raw(string key)
    {
        _understood.Add(key);
        return _layer.Config[key];
    }

    public bool Has(string key) => _layer.Config[key] is not null;

    public string String(string key, string? fallback = null)
    {
        JsonNode? node = Raw(key);
        if (node is null) return fallback ?? throw Missing(key);
        return node is JsonValue value && value.TryGetValue(out string? text) ? text : throw Unsupported($"{key} {node.ToJsonString()}");
    }

    public bool Bool(string key, bool fallback)
    {
        JsonNode? node = Raw(key);
        if (node is null) return fallback;
        return node is JsonValue value && value.TryGetValue(out bool flag) ? flag : throw Unsupported($"{key} {node.ToJsonString()}");
    }

    public double Double(string key, double fallback)
    {
        JsonNode? node = Raw(key);
        if (node is null) return fallback;
        return node is JsonValue value && value.TryGetValue(out double number) ? number : throw Unsupported($"{key} {node.ToJsonString()}");
    }

    public int Int(string key, int? fallback = null)
    {
        JsonNode? node = Raw(key);
        if (node is null) return fallback ?? throw Missing(key);
        return AsInt(node, key);
    }

    /// <summary>A (height, width) pair written as [a, b] or as one int for both.</summary>
    public (int Height, int Width) Pair(string key, (int, int)? fallback = null)
    {
        JsonNode? node = Raw(key);
        if (node is null) return fallback ?? throw Missing(key);
        if (node is JsonArray { Count: 2 } pair) return (AsInt(pair[0], key), AsInt(pair[1], key));
        if (node is JsonValue) { int both = AsInt(node, key); return (both, both); }
        throw Unsupported($"{key} {node.ToJsonString()}");
    }

    /// <summary>Requires a string option to be one of <paramref name="allowed"/> (a missing key counts as the first).</summary>
    public string OneOf(string key, params string[] allowed)
    {
        string value = String(key, allowed[0]);
        return allowed.Contains(value, StringComparer.Ordinal) ? value : throw Unsupported($"{key} {value}");
    }

    /// <summary>Keras 2.x layers are channels-last unless told otherwise; channels_first is not converted.</summary>
    public void RequireChannelsLast()
    {
        JsonNode? node = Raw("data_format");
        if (node is null) return;
        string format = String("data_format");
        if (format != "channels_last") throw Unsupported($"data_format {format}");
    }

    public void RejectUnknownKeys()
    {
        foreach (var (key, value) in _layer.Config)
            if (!_understood.Contains(key) && !IsTrainingOnly(key) && !(key == "activity_regularizer"))
                throw Unsupported($"the option '{key}' = {value?.ToJsonString() ?? "null"}");
    }

    /// <summary>"Layer 'x' (Conv2D) uses data_format channels_first, which SleapPS cannot convert. ..."</summary>
    public SleapException Unsupported(string what) => new(SleapErrorKind.NotSupported,
        $"Layer '{_layer.Name}' ({_layer.ClassName}) uses {what}, which SleapPS cannot convert. Model: '{_modelPath}'. "
        + "Train the model with a standard SLEAP backbone, or export it to ONNX with sleap-nn and import that.", _modelPath);

    public SleapException Invalid(string what) => new(SleapErrorKind.InvalidData,
        $"Cannot convert the Keras model '{_modelPath}': layer '{_layer.Name}' ({_layer.ClassName}) {what}. The file is damaged or was not saved by SLEAP; copy the model folder again.", _modelPath);

    private SleapException Missing(string key) => Invalid($"has no '{key}' in its config");

    private int AsInt(JsonNode? node, string key)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue(out int i)) return i;
            if (value.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue) return (int)d;
        }
        throw Unsupported($"{key} {node?.ToJsonString() ?? "null"}");
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
