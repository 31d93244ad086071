using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// What SleapPS reads from the training config a sleap-nn export ships (docs/design/sleap-nn-exports.md §2): the
/// backbone's max stride and the frame size the graph was traced at. Everything else comes from the metadata.
/// </summary>
/// <param name="MaxStride">The frame-level network's <c>model_config.backbone_config.&lt;backbone&gt;.max_stride</c>.</param>
/// <param name="TracedHeight">
/// <c>data_config.preprocessing.max_height</c>, or 512 when null: the height sleap-nn's exporter traces the graph at
/// unless told otherwise on its command line (which the export does not record).
/// </param>
/// <param name="TracedWidth">The same for the width (<c>max_width</c>).</param>
/// <param name="SourcePath">The file the config came from (a copy beside the export, or the .onnx when embedded).</param>
internal sealed record SleapNnExportConfig(int MaxStride, int TracedHeight, int TracedWidth, string SourcePath)
{
    /// <summary>The size sleap-nn's exporter traces at when the config names none.</summary>
    public const int DefaultTraceSize = 512;

    private const string EmbeddedKey = "training_config";
    private const string FileStem = "training_config";
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>
    /// The config of the export's frame-level stage: for a two-model export (combined top-down) the centroid stage's,
    /// else the only one. Copies beside the model win over the text embedded in it. Null when there is none.
    /// </summary>
    /// <exception cref="SleapException">InvalidData when the config is not YAML/JSON or lacks the max stride.</exception>
    public static SleapNnExportConfig? Find(string onnxPath, ModelSession session)
    {
        var (text, source) = FromFiles(onnxPath) ?? FromEmbedded(onnxPath, session) ?? (null, onnxPath);
        return text is null ? null : Read(text, source);
    }

    // training_config.yaml beside the model, else the centroid stage's training_config_centroid.yaml (two-model exports).
    private static (string? Text, string Source)? FromFiles(string onnxPath)
    {
        string folder = Path.GetDirectoryName(onnxPath)!;
        foreach (string stem in new[] { FileStem, FileStem + "_centroid" })
            foreach (string extension in Extensions)
            {
                string path = Path.Combine(folder, stem + extension);
                if (File.Exists(path))
                    return (File.ReadAllText(path), path);
            }
        return null;
    }

    // One YAML document, or for two-model exports a JSON object of stage name -> YAML text.
    private static (string? Text, string Source)? FromEmbedded(string onnxPath, ModelSession session)
    {
        if (!session.CustomMetadata.TryGetValue(EmbeddedKey, out var text))
            return null;
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(text) is JsonObject stages && stages.Count > 0 && stages.All(s => s.Value?.GetValueKind() == JsonValueKind.String))
                    return ((stages["centroid"] ?? stages.First().Value)!.GetValue<string>(), onnxPath);
            }
            catch (JsonException)
            {
                // Not a stage map: read it as one config below, which names the fault.
            }
        }
        return (text, onnxPath);
    }

    private static SleapNnExportConfig Read(string text, string source)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                ?? throw new SleapException(SleapErrorKind.InvalidData, $"The sleap-nn training config '{source}' is not a YAML mapping.", source);
        }
        catch (YamlException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"The sleap-nn training config '{source}' is not valid YAML: {ex.Message}", source, ex);
        }

        // Only the backbone in use has a body; the others are null.
        int? maxStride = (Child(root, "model_config", "backbone_config") as YamlMappingNode)?.Children.Values
            .Select(backbone => Integer(Child(backbone, "max_stride"), source, "max_stride"))
            .FirstOrDefault(stride => stride is not null);
        if (maxStride is null)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The sleap-nn training config '{source}' has no model_config.backbone_config.<backbone>.max_stride, so the network's input size rule is unknown.", source);
        var preprocessing = Child(root, "data_config", "preprocessing");
        int height = Integer(Child(preprocessing, "max_height"), source, "max_height") ?? DefaultTraceSize;
        int width = Integer(Child(preprocessing, "max_width"), source, "max_width") ?? DefaultTraceSize;
        return new SleapNnExportConfig(maxStride.Value, height, width, source);
    }

    private static YamlNode? Child(YamlNode? node, params string[] keys)
    {
        foreach (string key in keys)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
                return null;
        }
        return node;
    }

    private static int? Integer(YamlNode? node, string source, string key)
    {
        if (node is not YamlScalarNode { Value: { } value } || value is "" or "null" or "~" or "Null" or "NULL")
            return null;
        return int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int number) && number > 0
            ? number
            : throw new SleapException(SleapErrorKind.InvalidData, $"The sleap-nn training config '{source}' has a malformed '{key}': {value} (expected a positive integer).", source);
    }
}
