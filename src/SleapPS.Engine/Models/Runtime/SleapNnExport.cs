using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.Data;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Reads a sleap-nn ONNX export (docs/design/sleap-nn-exports.md §1, §2): its metadata, the max stride and traced size
/// from the training config it ships, and checks that the graph has the input and outputs sleap-nn gives its model type.
/// </summary>
/// <remarks>
/// The metadata is the authority on how the exported graph behaves; SleapPS describes the model with a
/// <see cref="TrainingConfig"/> built from it. An export of a whole predictor (single instance, centroid alone,
/// combined top-down, bottom-up) is marked <see cref="TrainingConfig.StandaloneKind"/>, so that it plans alone and runs
/// through its own backend (Inference/Exports). Exports of one top-down stage (centered_instance, multi_class_topdown
/// alone) load but do not predict: sleap-nn exports that stage together with its centroid model.
/// </remarks>
internal static class SleapNnExport
{
    public const string ModelFileName = "model.onnx";

    /// <summary>sleap-nn's names for its combined top-down exports (both stages in one graph).</summary>
    public const string TopDownCombined = "topdown", MultiClassTopDownCombined = "multi_class_topdown_combined";

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

    /// <summary>
    /// The training config SleapPS describes an export with, and its input: the size it was traced at, its channels and
    /// max stride. Throws when the graph does not match its metadata or no training config comes with it.
    /// </summary>
    public static (TrainingConfig Config, ModelInputShape InputShape) Describe(SleapNnMetadata metadata, string onnxPath, ModelSession session)
    {
        var (type, standalone) = TypeOf(metadata);
        CheckGraph(metadata, onnxPath, session);
        var trainingConfig = SleapNnExportConfig.Find(onnxPath, session) ?? throw new SleapException(SleapErrorKind.InvalidData,
            $"The sleap-nn export '{onnxPath}' has no training config (training_config.yaml beside it, training_config_centroid.yaml for a combined top-down export, or embedded), " +
            "so its backbone's max stride and the frame size it was traced at are unknown. Copy the model's training_config.yaml from its training folder beside the export.",
            onnxPath);

        var kind = type switch
        {
            ModelType.SingleInstance => HeadKind.SingleInstanceConfmaps,
            ModelType.Centroid => HeadKind.CentroidConfmaps,
            ModelType.CenteredInstance or ModelType.MultiClassTopDown => HeadKind.CenteredInstanceConfmaps,
            _ => HeadKind.MultiInstanceConfmaps,
        };
        var edgeNames = metadata.Edges.Select(e => (metadata.NodeNames[e.Source], metadata.NodeNames[e.Destination])).ToArray();
        var config = new TrainingConfig
        {
            SourcePath = metadata.SourcePath,
            ModelType = type,
            Family = ModelFamily.SleapNn,
            StandaloneKind = standalone,
            Skeleton = SkeletonOf(metadata, type, edgeNames),
            Preprocessing = new PreprocessingConfig
            {
                InputScaling = metadata.InputScale,
                ResizeAndPadToTarget = false,
                EnsureGrayscale = metadata.InputChannels == 1,
                EnsureRgb = metadata.InputChannels == 3,
            },
            InstanceCropping = new InstanceCroppingConfig { CenterOnPart = metadata.AnchorPart, CropSize = metadata.CropSize?.Height },
            Backbone = new BackboneConfig { Kind = metadata.Backbone, MaxStride = trainingConfig.MaxStride },
            Heads = [new HeadConfig(kind, HeadConfig.KerasNameOf(kind), metadata.OutputStride, double.NaN,
                type == ModelType.Centroid ? ["centroid"] : metadata.NodeNames)],
            AnchorPart = metadata.AnchorPart,
            PartNames = metadata.NodeNames,
            PafEdges = type == ModelType.MultiInstance ? edgeNames : [],
            ClassNames = metadata.ClassNames,
        };
        return (config, new ModelInputShape(trainingConfig.TracedHeight, trainingConfig.TracedWidth, metadata.InputChannels, trainingConfig.MaxStride));
    }

    /// <summary>The outputs sleap-nn's exporter names for each model_type (docs/design/sleap-nn-exports.md §1).</summary>
    public static IReadOnlyList<string> OutputsOf(string modelType) => modelType switch
    {
        "single_instance" or "centered_instance" => ["peaks", "peak_vals"],
        "centroid" => ["centroids", "centroid_vals", "instance_valid"],
        "bottomup" => ["peaks", "peak_vals", "peak_mask", "line_scores", "candidate_mask"],
        "multi_class_bottomup" => ["peaks", "peak_vals", "peak_mask", "class_probs"],
        "multi_class_topdown" => ["peaks", "peak_vals", "class_logits"],
        TopDownCombined => ["centroids", "centroid_vals", "peaks", "peak_vals", "instance_valid"],
        MultiClassTopDownCombined => ["centroids", "centroid_vals", "peaks", "peak_vals", "class_logits", "instance_valid"],
        _ => throw new ArgumentOutOfRangeException(nameof(modelType), modelType, null),
    };

    /// <summary>The outputs sleap-nn's exporter writes as bool masks; every other output is float32.</summary>
    public static bool IsMask(string outputName) => outputName is "peak_mask" or "candidate_mask" or "instance_valid";

    // The model type SleapPS gives the export, and the predictor it makes alone (null for one top-down stage).
    private static (ModelType Type, PredictorKind? Standalone) TypeOf(SleapNnMetadata metadata) => metadata.ModelType switch
    {
        "single_instance" => (ModelType.SingleInstance, PredictorKind.SingleInstance),
        "centroid" => (ModelType.Centroid, PredictorKind.TopDown),
        "centered_instance" => (ModelType.CenteredInstance, null),
        "bottomup" => (ModelType.MultiInstance, PredictorKind.BottomUp),
        "multi_class_bottomup" => (ModelType.MultiClassBottomUp, PredictorKind.BottomUpMultiClass),
        "multi_class_topdown" => (ModelType.MultiClassTopDown, null),
        TopDownCombined => (ModelType.CenteredInstance, PredictorKind.TopDown),
        MultiClassTopDownCombined => (ModelType.MultiClassTopDown, PredictorKind.TopDownMultiClass),
        _ => throw new SleapException(SleapErrorKind.NotSupported,
            $"'{metadata.SourcePath}' is a sleap-nn export of model_type '{metadata.ModelType}', which SleapPS does not run " +
            $"(it runs single_instance, centroid, centered_instance, bottomup, multi_class_bottomup, multi_class_topdown, {TopDownCombined} and {MultiClassTopDownCombined}).",
            metadata.SourcePath),
    };

    /// <summary>
    /// The skeleton of the instances. A centroid export alone predicts centroids, not body parts: like sleap-nn, its
    /// instances have one node, 'centroid', when the model's skeleton has more (docs/design/sleap-nn-exports.md §3.2).
    /// </summary>
    private static Skeleton SkeletonOf(SleapNnMetadata metadata, ModelType type, (string, string)[] edgeNames)
    {
        if (type == ModelType.Centroid && metadata.NodeNames.Count > 1)
            return Skeleton.FromNames(CentroidSkeletonName, [CentroidSkeletonName]);
        return Skeleton.FromNames(metadata.ModelName is { Length: > 0 } name ? name : "sleap-nn", metadata.NodeNames, edgeNames);
    }

    /// <summary>The name of the one-node skeleton (and its node) of a centroid export's instances.</summary>
    public const string CentroidSkeletonName = "centroid";

    private static void CheckGraph(SleapNnMetadata metadata, string onnxPath, ModelSession session)
    {
        var input = session.Inputs.Count == 1 ? session.Inputs[0] : null;
        bool inputOk = input is { Name: "image", ElementType: TensorElementType.UInt8 } && input.Shape.Count == 4
                       && (input.Shape[1] < 0 || input.Shape[1] == metadata.InputChannels);
        var expected = OutputsOf(metadata.ModelType);
        var missing = expected.Where(name => !session.OutputNames.Contains(name)).ToArray();
        if (!inputOk || missing.Length > 0)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"'{onnxPath}' does not have the graph sleap-nn exports for a {metadata.ModelType} model: expected one input 'image' (uint8, [batch, {metadata.InputChannels}, height, width]) " +
                $"and the outputs {string.Join(", ", expected)}; it has the inputs {string.Join(", ", session.Inputs)} and the outputs {string.Join(", ", session.OutputNames)}. " +
                $"Export the model again with sleap-nn export, keeping its {SleapNnMetadata.FileName}.", onnxPath);
        foreach (var output in session.Outputs.Where(o => expected.Contains(o.Name)))
        {
            var type = IsMask(output.Name) ? TensorElementType.Bool : TensorElementType.Float;
            if (output.ElementType != type)
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"'{onnxPath}' has the output {output}, which sleap-nn's exporter writes as {type}. Export the model again with sleap-nn export.", onnxPath);
        }
    }
}
