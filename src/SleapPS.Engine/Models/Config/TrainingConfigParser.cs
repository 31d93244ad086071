using System.Text.Json.Nodes;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.Models.Config;

/// <summary>Builds a <see cref="TrainingConfig"/> from training_config.json text (docs/design/models.md §2).</summary>
internal static class TrainingConfigParser
{
    public static TrainingConfig Parse(string json, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourcePath);
        var fields = new ConfigFields(sourcePath);

        JsonNode? document;
        try
        {
            // Python's json module writes NaN and Infinity bare; PythonJson accepts them.
            document = PythonJson.Parse(json);
        }
        catch (InvalidDataException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The training config '{sourcePath}' is not valid JSON: {ex.Message} Use the training_config.json that SLEAP wrote when it trained the model.",
                sourcePath, ex);
        }
        if (document is not JsonObject root)
            throw fields.Invalid($"the file must hold a JSON object, not {ConfigFields.Describe(document)}");

        JsonObject data = fields.RequiredObject(root, "", "data");
        JsonObject model = fields.RequiredObject(root, "", "model");

        Skeleton skeleton = ReadSkeleton(fields, data);
        BackboneConfig backbone = ReadBackbone(fields, model);
        HeadsParser.Result heads = HeadsParser.Read(fields, model, skeleton);
        InstanceCroppingConfig cropping = ReadInstanceCropping(fields, data, skeleton, heads.ModelType, backbone.MaxStride);

        return new TrainingConfig
        {
            SourcePath = sourcePath,
            ModelType = heads.ModelType,
            Skeleton = skeleton,
            Preprocessing = ReadPreprocessing(fields, data),
            InstanceCropping = cropping,
            Backbone = backbone,
            Heads = heads.Heads,
            AnchorPart = heads.AnchorPart,
            PartNames = heads.PartNames,
            PafEdges = heads.PafEdges,
            ClassNames = heads.ClassNames,
        };
    }

    private static Skeleton ReadSkeleton(ConfigFields fields, JsonObject data)
    {
        JsonObject labels = fields.RequiredObject(data, "data", "labels");
        if (labels["skeletons"] is not JsonArray { Count: > 0 } skeletons || skeletons[0] is null)
            throw fields.Invalid("data.labels.skeletons must list the skeleton the model was trained on, but it is missing or empty");
        Skeleton skeleton;
        try
        {
            // training_config.json writes nodes as full jsonpickle objects, so no global node list is needed.
            skeleton = SkeletonJson.Decode(skeletons[0]!, []);
        }
        catch (InvalidDataException ex)
        {
            throw fields.Invalid($"data.labels.skeletons[0] is not a SLEAP skeleton: {ex.Message.TrimEnd('.')}");
        }
        if (skeleton.Nodes.Count == 0)
            throw fields.Invalid("data.labels.skeletons[0] has no nodes");
        return skeleton;
    }

    private static PreprocessingConfig ReadPreprocessing(ConfigFields fields, JsonObject data)
    {
        const string path = "data.preprocessing";
        JsonObject pre = fields.OptionalObject(data, "data", "preprocessing") ?? new JsonObject();
        return new PreprocessingConfig
        {
            InputScaling = fields.PositiveNumber(pre, path, "input_scaling", 1.0),
            PadToStride = fields.OptionalPositiveInt(pre, path, "pad_to_stride"),
            // Older configs lack the key; SLEAP's default is true.
            ResizeAndPadToTarget = fields.Bool(pre, path, "resize_and_pad_to_target", true),
            TargetHeight = fields.OptionalPositiveInt(pre, path, "target_height"),
            TargetWidth = fields.OptionalPositiveInt(pre, path, "target_width"),
            EnsureRgb = fields.Bool(pre, path, "ensure_rgb", false),
            EnsureGrayscale = fields.Bool(pre, path, "ensure_grayscale", false),
        };
    }

    private static InstanceCroppingConfig ReadInstanceCropping(ConfigFields fields, JsonObject data, Skeleton skeleton, ModelType type, int maxStride)
    {
        const string path = "data.instance_cropping";
        JsonObject cropping = fields.OptionalObject(data, "data", "instance_cropping") ?? new JsonObject();
        string? centerOnPart = fields.OptionalString(cropping, path, "center_on_part");
        if (centerOnPart is not null && skeleton.IndexOf(centerOnPart) < 0)
            throw fields.Invalid($"{path}.center_on_part names '{centerOnPart}', which is not a node of the skeleton ({string.Join(", ", skeleton.NodeNames)})");

        int? cropSize = fields.OptionalPositiveInt(cropping, path, "crop_size");
        if (type is ModelType.CenteredInstance or ModelType.MultiClassTopDown)
        {
            // Top-down crops are cut at this size and fed to the network unpadded (docs/design/inference.md §9.3).
            if (cropSize is null)
                throw fields.Invalid($"{path}.crop_size is not set, but a {ModelTypeNames.ToSleap(type)} model needs its crop size (SLEAP sets it in training_config.json at training)");
            if (cropSize.Value % maxStride != 0)
                throw fields.Invalid($"{path}.crop_size {cropSize.Value} is not a multiple of the backbone's max stride {maxStride}");
        }
        return new InstanceCroppingConfig { CenterOnPart = centerOnPart, CropSize = cropSize };
    }

    private static BackboneConfig ReadBackbone(ConfigFields fields, JsonObject model)
    {
        JsonObject record = fields.RequiredObject(model, "model", "backbone");
        var (kind, backbone) = fields.OneOf(record, "model.backbone", "backbone");
        string path = "model.backbone." + kind;
        int maxStride = kind switch
        {
            // Defaults are those of SLEAP's backbone config classes (sleap/nn/config/model.py).
            "unet" => fields.PositiveInt(backbone, path, "max_stride", 16),
            "leap" => fields.PositiveInt(backbone, path, "max_stride", 8),
            "hourglass" => fields.PositiveInt(backbone, path, "max_stride", 64),
            "resnet" => fields.PositiveInt(backbone, path, "max_stride", 32),
            // Every segmentation_models encoder downsamples 5 times.
            "pretrained_encoder" => 32,
            _ => throw fields.Unsupported(
                $"model.backbone.{kind} is not a backbone SleapPS knows (unet, leap, hourglass, resnet, pretrained_encoder)"),
        };
        // Each backbone halves the resolution in whole steps, so its max stride is a power of two.
        if (!int.IsPow2(maxStride))
            throw fields.Invalid($"{path}.max_stride must be a power of two, not {maxStride}");
        return new BackboneConfig
        {
            Kind = kind,
            MaxStride = maxStride,
            OutputStride = fields.OptionalPositiveInt(backbone, path, "output_stride"),
        };
    }
}
