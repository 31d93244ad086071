using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.Models.Config;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Models.Config.FixtureModels;

namespace SleapPS.Tests.Models.Config;

public class TrainingConfigErrorTests
{
    private const string FixHint = "Correct that field, or use the training_config.json that SLEAP wrote when it trained the model.";

    private static void AssertInvalid(string path, string problem)
    {
        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(path));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The training config '{path}' is not usable: {problem}. {FixHint}", ex.Message);
        Assert.Equal(path, ex.Path);
    }

    private static void AssertInvalid(string model, Action<JsonObject> edit, string problem)
    {
        using var dir = new TempDir();
        AssertInvalid(EditedConfig.Write(dir, model, edit), problem);
    }

    [Fact]
    public void TruncatedJson()
    {
        using var dir = new TempDir();
        string text = File.ReadAllText(ConfigFile(FixtureModels.Centroid));
        string path = EditedConfig.WriteText(dir, text[..200]);

        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(path));

        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(path, ex.Path);
        Assert.StartsWith($"The training config '{path}' is not valid JSON: The JSON text is malformed: ", ex.Message);
        Assert.EndsWith(" Use the training_config.json that SLEAP wrote when it trained the model.", ex.Message);
    }

    [Fact]
    public void NotAnObject() => AssertInvalidText("[1, 2]", "the file must hold a JSON object, not [1,2]");

    private static void AssertInvalidText(string text, string problem)
    {
        using var dir = new TempDir();
        AssertInvalid(EditedConfig.WriteText(dir, text), problem);
    }

    [Fact]
    public void PythonNaNAndInfinityAreRead()
    {
        using var dir = new TempDir();
        // Python's json module writes these bare; a field inference does not use may hold them.
        string text = File.ReadAllText(ConfigFile(FixtureModels.Centroid))
            .Replace("\"plateau_min_delta\": 1e-06", "\"plateau_min_delta\": NaN")
            .Replace("\"min_learning_rate\": 1e-08", "\"min_learning_rate\": -Infinity");
        Assert.Contains("NaN", text);
        Assert.Contains("-Infinity", text);
        TrainingConfig config = TrainingConfig.Load(EditedConfig.WriteText(dir, text));
        Assert.Equal(ModelType.Centroid, config.ModelType);
    }

    [Fact]
    public void NaNInputScaling()
    {
        using var dir = new TempDir();
        string text = File.ReadAllText(ConfigFile(FixtureModels.Centroid)).Replace("\"input_scaling\": 1.0", "\"input_scaling\": NaN");
        AssertInvalid(EditedConfig.WriteText(dir, text), "data.preprocessing.input_scaling must be a positive number, not NaN");
    }

    [Fact]
    public void NegativeInputScaling() => AssertInvalid(FixtureModels.Centroid,
        root => root.At("data.preprocessing")["input_scaling"] = -1,
        "data.preprocessing.input_scaling must be a positive number, not -1");

    [Fact]
    public void TextPadToStride() => AssertInvalid(FixtureModels.Centroid,
        root => root.At("data.preprocessing")["pad_to_stride"] = "8",
        "data.preprocessing.pad_to_stride must be a positive whole number, not \"8\"");

    [Fact]
    public void NoHeadSet() => AssertInvalid(FixtureModels.Centroid,
        root => root.At("model.heads")["centroid"] = null,
        "model.heads: no head is set (exactly one of its entries must be non-null)");

    [Fact]
    public void HeadsMissing() => AssertInvalid(FixtureModels.Centroid,
        root => root.At("model").Remove("heads"),
        "model.heads is missing");

    [Fact]
    public void TwoHeadsSet() => AssertInvalid(FixtureModels.Centroid,
        root => root.At("model.heads")["single_instance"] = new JsonObject { ["part_names"] = null },
        "model.heads: more than one head is set (single_instance, centroid); exactly one of its entries must be non-null");

    [Fact]
    public void NoBackboneSet() => AssertInvalid(FixtureModels.Centroid,
        root => root.At("model.backbone")["unet"] = null,
        "model.backbone: no backbone is set (exactly one of its entries must be non-null)");

    [Fact]
    public void MaxStrideNotAPowerOfTwo() => AssertInvalid(FixtureModels.Centroid,
        root => root.At("model.backbone.unet")["max_stride"] = 12,
        "model.backbone.unet.max_stride must be a power of two, not 12");

    [Fact]
    public void UnknownBackbone()
    {
        using var dir = new TempDir();
        string path = EditedConfig.Write(dir, FixtureModels.Centroid, root =>
        {
            root.At("model.backbone")["unet"] = null;
            root.At("model.backbone")["convnext"] = new JsonObject { ["max_stride"] = 32 };
        });

        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(path));

        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"The training config '{path}' describes a model SleapPS cannot run: model.backbone.convnext is not a backbone SleapPS knows (unet, leap, hourglass, resnet, pretrained_encoder).", ex.Message);
    }

    [Fact]
    public void UnknownHead()
    {
        using var dir = new TempDir();
        string path = EditedConfig.Write(dir, FixtureModels.Centroid, root =>
        {
            root.At("model.heads")["centroid"] = null;
            root.At("model.heads")["multi_class_centroid"] = new JsonObject();
        });

        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(path));

        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"The training config '{path}' describes a model SleapPS cannot run: model.heads.multi_class_centroid is not a model type SleapPS knows (single_instance, centroid, centered_instance, multi_instance, multi_class_bottomup, multi_class_topdown).", ex.Message);
    }

    [Fact]
    public void PartNameNotInSkeleton() => AssertInvalid(CenteredInstance,
        root => root.At("model.heads.centered_instance")["part_names"] = new JsonArray("A", "C"),
        "model.heads.centered_instance.part_names names 'C', which is not a node of the skeleton (A, B)");

    [Fact]
    public void PartNamedTwice() => AssertInvalid(FixtureModels.BottomUp,
        root => root.At("model.heads.multi_instance.confmaps")["part_names"] = new JsonArray("A", "A"),
        "model.heads.multi_instance.confmaps.part_names names 'A' twice");

    [Fact]
    public void PafEdgeOutsideParts() => AssertInvalid(FixtureModels.BottomUp,
        root => root.At("model.heads.multi_instance.pafs")["edges"] = new JsonArray(new JsonArray("A", "B"), new JsonArray("B", "Z")),
        "model.heads.multi_instance.pafs.edges[1] must be a pair of part names from (A, B), not [\"B\",\"Z\"]");

    [Fact]
    public void AnchorPartNotInSkeleton() => AssertInvalid(TopDownMultiClass,
        root => root.At("model.heads.multi_class_topdown.confmaps")["anchor_part"] = "abdomen",
        "model.heads.multi_class_topdown.confmaps.anchor_part names 'abdomen', which is not a node of the skeleton (head, thorax)");

    [Fact]
    public void ClassesMissing() => AssertInvalid(BottomUpMultiClass,
        root => root.At("model.heads.multi_class_bottomup.class_maps")["classes"] = null,
        "model.heads.multi_class_bottomup.class_maps.classes is not set, but an identity model needs its class (track) names");

    [Fact]
    public void CropSizeMissingForCenteredInstance() => AssertInvalid(CenteredInstance,
        root => root.At("data.instance_cropping")["crop_size"] = null,
        "data.instance_cropping.crop_size is not set, but a centered_instance model needs its crop size (SLEAP sets it in training_config.json at training)");

    [Fact]
    public void CropSizeNotAMultipleOfMaxStride() => AssertInvalid(TopDownMultiClass,
        root => root.At("data.instance_cropping")["crop_size"] = 120,
        "data.instance_cropping.crop_size 120 is not a multiple of the backbone's max stride 16");

    [Fact]
    public void SkeletonMissing() => AssertInvalid(SingleInstance,
        root => root.At("data.labels")["skeletons"] = new JsonArray(),
        "data.labels.skeletons must list the skeleton the model was trained on, but it is missing or empty");

    [Fact]
    public void SkeletonMalformed() => AssertInvalid(SingleInstance,
        root => root.At("data.labels")["skeletons"] = new JsonArray(new JsonObject { ["nodes"] = new JsonArray(new JsonObject { ["id"] = new JsonObject { ["py/id"] = 3 } }) }),
        "data.labels.skeletons[0] is not a SLEAP skeleton: A skeleton refers to jsonpickle object {\"py/id\":3}, which is not defined before it");
}
