using System.Text.Json;
using System.Text.Json.Nodes;
using SleapPS.Engine.Models.SleapNn.Config;

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
    /// <exception cref="SleapException">InvalidData (or NotSupported) when <see cref="SleapNnConfig"/> cannot read the config.</exception>
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
                if (IO.Json.PythonJson.ParseChecked(text) is JsonObject stages && stages.Count > 0 && stages.All(s => s.Value?.GetValueKind() == JsonValueKind.String))
                    return ((stages["centroid"] ?? stages.First().Value)!.GetValue<string>(), onnxPath);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                // Not a stage map: read it as one config below, which names the fault.
            }
        }
        return (text, onnxPath);
    }

    private static SleapNnExportConfig Read(string text, string source)
    {
        var config = SleapNnConfig.Parse(text, source);
        var preprocessing = config.Preprocessing;
        return new SleapNnExportConfig(config.Backbone.MaxStride, preprocessing.MaxHeight ?? DefaultTraceSize, preprocessing.MaxWidth ?? DefaultTraceSize, source);
    }
}
