using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.Data;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Reads a sleap-nn ONNX export (models.md §6): its metadata, the max stride from the training config it ships,
/// and checks that the graph has the input and outputs sleap-nn gives its model type.
/// </summary>
/// <remarks>
/// The metadata is the authority on how the exported graph behaves; SleapPS describes the model with a
/// <see cref="TrainingConfig"/> built from it, so the predictor planner treats it like a SLEAP model. The
/// training config sleap-nn ships is sleap-nn's own schema (not SLEAP 1.x's training_config.json); only its
/// <c>model_config.backbone_config.&lt;backbone&gt;.max_stride</c> is read, from JSON, or from YAML by a scan of
/// that one nested key (no general YAML reader). Combined top-down exports (both stages in one graph) are not
/// supported: export the two stages separately.
/// </remarks>
internal static class SleapNnExport
{
    public const string ModelFileName = "model.onnx";
    private const string EmbeddedConfigKey = "training_config";
    private static readonly string[] ConfigFileNames = ["training_config.json", "training_config.yaml", "training_config.yml"];

    /// <summary>The export's metadata: export_metadata.json beside the model, else the copy embedded in it; null when neither exists.</summary>
    public static SleapNnMetadata? FindMetadata(string onnxPath, ModelSession session)
    {
        string file = Path.Combine(Path.GetDirectoryName(onnxPath)!, SleapNnMetadata.FileName);
        if (File.Exists(file))
            return SleapNnMetadata.Parse(File.ReadAllText(file), file);
        return session.CustomMetadata.TryGetValue(SleapNnMetadata.EmbeddedKey, out var embedded)
            ? SleapNnMetadata.Parse(embedded, onnxPath)
            : null;
    }

    /// <summary>The model type, output names and training config of an export; throws when the graph does not match its metadata.</summary>
    public static TrainingConfig Describe(SleapNnMetadata metadata, string onnxPath, ModelSession session)
    {
        var type = TypeOf(metadata);
        CheckGraph(metadata, type, onnxPath, session);
        int maxStride = MaxStride(onnxPath, session);

        var kind = type switch
        {
            ModelType.SingleInstance => HeadKind.SingleInstanceConfmaps,
            ModelType.Centroid => HeadKind.CentroidConfmaps,
            ModelType.CenteredInstance or ModelType.MultiClassTopDown => HeadKind.CenteredInstanceConfmaps,
            _ => HeadKind.MultiInstanceConfmaps,
        };
        var edgeNames = metadata.Edges.Select(e => (metadata.NodeNames[e.Source], metadata.NodeNames[e.Destination])).ToArray();
        return new TrainingConfig
        {
            SourcePath = metadata.SourcePath,
            ModelType = type,
            Skeleton = Skeleton.FromNames(metadata.ModelName is { Length: > 0 } name ? name : "sleap-nn", metadata.NodeNames, edgeNames),
            Preprocessing = new PreprocessingConfig
            {
                InputScaling = metadata.InputScale,
                ResizeAndPadToTarget = false,
                EnsureGrayscale = metadata.InputChannels == 1,
                EnsureRgb = metadata.InputChannels == 3,
            },
            InstanceCropping = new InstanceCroppingConfig { CenterOnPart = metadata.AnchorPart, CropSize = metadata.CropSize?.Height },
            Backbone = new BackboneConfig { Kind = metadata.Backbone, MaxStride = maxStride },
            Heads = [new HeadConfig(kind, HeadConfig.KerasNameOf(kind), metadata.OutputStride, double.NaN,
                type == ModelType.Centroid ? ["centroid"] : metadata.NodeNames)],
            AnchorPart = metadata.AnchorPart,
            PartNames = metadata.NodeNames,
            PafEdges = type == ModelType.MultiInstance ? edgeNames : [],
            ClassNames = metadata.ClassNames,
        };
    }

    /// <summary>The outputs sleap-nn's exporter names for each model type (models.md §6.3).</summary>
    public static IReadOnlyList<string> OutputsOf(ModelType type) => type switch
    {
        ModelType.SingleInstance or ModelType.CenteredInstance => ["peaks", "peak_vals"],
        ModelType.Centroid => ["centroids", "centroid_vals", "instance_valid"],
        ModelType.MultiInstance => ["peaks", "peak_vals", "peak_mask", "line_scores", "candidate_mask"],
        ModelType.MultiClassBottomUp => ["peaks", "peak_vals", "peak_mask", "class_probs"],
        ModelType.MultiClassTopDown => ["peaks", "peak_vals", "class_logits"],
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static ModelType TypeOf(SleapNnMetadata metadata) => metadata.ModelType switch
    {
        "single_instance" => ModelType.SingleInstance,
        "centroid" => ModelType.Centroid,
        "centered_instance" => ModelType.CenteredInstance,
        "bottomup" => ModelType.MultiInstance,
        "multi_class_bottomup" => ModelType.MultiClassBottomUp,
        "multi_class_topdown" => ModelType.MultiClassTopDown,
        "topdown" or "multi_class_topdown_combined" => throw new SleapException(SleapErrorKind.NotSupported,
            $"'{metadata.SourcePath}' is a combined top-down sleap-nn export ({metadata.ModelType}: both stages in one graph), which SleapPS does not run. " +
            "Export the centroid and the centered-instance model separately (sleap-nn export CENTROID_MODEL_DIR -o OUT1, then sleap-nn export INSTANCE_MODEL_DIR -o OUT2) and give both folders.",
            metadata.SourcePath),
        _ => throw new SleapException(SleapErrorKind.NotSupported,
            $"'{metadata.SourcePath}' is a sleap-nn export of model_type '{metadata.ModelType}', which SleapPS does not run " +
            "(it runs single_instance, centroid, centered_instance, bottomup, multi_class_bottomup and multi_class_topdown).", metadata.SourcePath),
    };

    private static void CheckGraph(SleapNnMetadata metadata, ModelType type, string onnxPath, ModelSession session)
    {
        var input = session.Inputs.Count == 1 ? session.Inputs[0] : null;
        bool inputOk = input is { Name: "image", ElementType: TensorElementType.UInt8 } && input.Shape.Count == 4
                       && (input.Shape[1] < 0 || input.Shape[1] == metadata.InputChannels);
        var expected = OutputsOf(type);
        var missing = expected.Where(name => !session.OutputNames.Contains(name)).ToArray();
        if (!inputOk || missing.Length > 0)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"'{onnxPath}' does not have the graph sleap-nn exports for a {metadata.ModelType} model: expected one input 'image' (uint8, [batch, {metadata.InputChannels}, height, width]) " +
                $"and the outputs {string.Join(", ", expected)}; it has the inputs {string.Join(", ", session.Inputs)} and the outputs {string.Join(", ", session.OutputNames)}. " +
                $"Export the model again with sleap-nn export, keeping its {SleapNnMetadata.FileName}.", onnxPath);
    }

    /// <summary>The backbone's max stride, from the training config the export ships (file beside it, else embedded).</summary>
    private static int MaxStride(string onnxPath, ModelSession session)
    {
        string folder = Path.GetDirectoryName(onnxPath)!;
        string? configPath = ConfigFileNames.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
        string? text = configPath is not null ? File.ReadAllText(configPath) : session.CustomMetadata.GetValueOrDefault(EmbeddedConfigKey);
        string source = configPath ?? onnxPath;
        int? stride = text is null ? null : text.TrimStart().StartsWith('{') ? FromJson(text, source) : FromYaml(text);
        return stride ?? throw new SleapException(SleapErrorKind.InvalidData,
            text is null
                ? $"The sleap-nn export '{onnxPath}' has no training config (training_config.json or .yaml beside it, or embedded), so its backbone's max stride is unknown. Copy the model's training_config.yaml from its training folder beside the export."
                : $"The sleap-nn training config '{source}' has no model_config.backbone_config.<backbone>.max_stride, so the network's input size rule is unknown.",
            configPath ?? onnxPath);
    }

    private static int? FromJson(string json, string source)
    {
        try
        {
            var backbones = JsonNode.Parse(json)?["model_config"]?["backbone_config"] as JsonObject;
            return backbones?.Select(b => b.Value?["max_stride"]).FirstOrDefault(s => s is not null)?.GetValue<int>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"The sleap-nn training config '{source}' is not valid JSON: {ex.Message}", source, ex);
        }
    }

    /// <summary>The first <c>max_stride:</c> nested under <c>backbone_config:</c> (only the backbone in use has a body; the others are null).</summary>
    private static int? FromYaml(string yaml)
    {
        int? blockIndent = null;
        foreach (string line in yaml.Split('\n'))
        {
            string trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            int indent = line.Length - trimmed.Length;
            if (blockIndent is null)
            {
                if (trimmed.StartsWith("backbone_config:")) blockIndent = indent;
                continue;
            }
            if (indent <= blockIndent) return null;
            var match = Regex.Match(trimmed, @"^max_stride:\s*(\d+)\s*(#.*)?$");
            if (match.Success) return int.Parse(match.Groups[1].Value);
        }
        return null;
    }
}
