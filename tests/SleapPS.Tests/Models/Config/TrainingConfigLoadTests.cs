using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.Models.Config;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Models.Config.FixtureModels;

namespace SleapPS.Tests.Models.Config;

/// <summary>Which file a path means, and the defaults SLEAP applies to fields a config leaves out.</summary>
public class TrainingConfigLoadTests
{
    [Fact]
    public void MissingPath()
    {
        using var dir = new TempDir();
        string path = dir.File("no_such_model");

        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(path));

        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal($"Cannot find the model folder or training config '{path}'. Give the folder of a trained SLEAP model or its training_config.json.", ex.Message);
        Assert.Equal(path, ex.Path);
    }

    [Fact]
    public void FolderWithoutTrainingConfig()
    {
        using var dir = new TempDir();

        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(dir.FullName));

        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal($"The model folder '{dir.FullName}' has no training_config.json. Give the folder of a trained SLEAP model (it holds training_config.json and best_model.h5).", ex.Message);
        Assert.Equal(dir.File("training_config.json"), ex.Path);
    }

    [Fact]
    public void FolderWithOnlyInitialConfigIsNotAModel()
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(Folder(CenteredInstance), "initial_config.json"), dir.File("initial_config.json"));

        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(dir.FullName));

        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal($"The model folder '{dir.FullName}' has no training_config.json. It has initial_config.json, which holds the settings before training and is not enough: the model was probably never trained to the end. Give the folder of a trained SLEAP model (it holds training_config.json and best_model.h5).", ex.Message);
    }

    [Fact]
    public void InitialConfigPathReadsTheTrainingConfigBesideIt()
    {
        // As SLEAP's load_config: the trained config wins when both are there.
        TrainingConfig config = TrainingConfig.Load(Path.Combine(Folder(CenteredInstance), "initial_config.json"));

        Assert.Equal(Path.GetFullPath(ConfigFile(CenteredInstance)), config.SourcePath);
    }

    [Fact]
    public void InitialConfigAloneIsReadWhenNamedButLacksTheTrainedFields()
    {
        // SLEAP reads an initial_config.json that is named explicitly; but it was written before training and
        // has no skeleton (nor part names, classes or resolved crop size), so it cannot drive inference.
        using var dir = new TempDir();
        string initial = dir.File("initial_config.json");
        File.Copy(Path.Combine(Folder(TopDownMultiClass), "initial_config.json"), initial);

        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(initial));

        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The training config '{initial}' is not usable: data.labels.skeletons must list the skeleton the model was trained on, but it is missing or empty. Correct that field, or use the training_config.json that SLEAP wrote when it trained the model.", ex.Message);
    }

    [Fact]
    public void OtherJsonFileIsReadAsAConfig()
    {
        using var dir = new TempDir();
        string path = dir.File("centroid_config.json");
        File.Copy(ConfigFile(FixtureModels.Centroid), path);

        TrainingConfig config = TrainingConfig.Load(path);

        Assert.Equal(path, config.SourcePath);
        Assert.Equal(dir.FullName, config.ModelFolder);
        Assert.Equal(ModelType.Centroid, config.ModelType);
    }

    [Fact]
    public void ModelFileIsNotAConfig()
    {
        string path = Path.GetFullPath(Path.Combine(Folder(FixtureModels.Centroid), "best_model.h5"));

        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(path));

        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"'{path}' is not a training config: give a SLEAP model folder or its training_config.json.", ex.Message);
    }

    [Fact]
    public void ParseNamesTheGivenSource()
    {
        string json = File.ReadAllText(ConfigFile(BottomUpMultiClass));

        TrainingConfig config = TrainingConfig.Parse(json, "/models/bu/training_config.json");

        Assert.Equal("/models/bu/training_config.json", config.SourcePath);
        Assert.Equal("/models/bu", config.ModelFolder);
        Assert.Equal(ModelType.MultiClassBottomUp, config.ModelType);
    }

    [Fact]
    public void MalformedJsonNamesTheFile()
    {
        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Parse("""{"data": }""", "/models/x/training_config.json"));

        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal("/models/x/training_config.json", ex.Path);
        Assert.Equal("The training config '/models/x/training_config.json' is not valid JSON: The JSON text is malformed: '}' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 9. Use the training_config.json that SLEAP wrote when it trained the model.", ex.Message);
    }

    [Fact]
    public void MissingFieldsTakeSleapDefaults()
    {
        using var dir = new TempDir();
        string path = EditedConfig.Write(dir, FixtureModels.BottomUp, root =>
        {
            root.At("data").Remove("preprocessing");
            root.At("data").Remove("instance_cropping");
            JsonObject confmaps = root.At("model.heads.multi_instance.confmaps");
            confmaps.Remove("sigma");
            confmaps.Remove("output_stride");
            confmaps.Remove("offset_refinement");
            confmaps["part_names"] = null;
            JsonObject pafs = root.At("model.heads.multi_instance.pafs");
            pafs["edges"] = null;
            pafs.Remove("sigma");
            root.At("model.backbone.unet").Remove("max_stride");
        });

        TrainingConfig config = TrainingConfig.Load(path);

        Assert.Equal(1.0, config.Preprocessing.InputScaling);
        Assert.Null(config.Preprocessing.PadToStride);
        Assert.True(config.Preprocessing.ResizeAndPadToTarget);
        Assert.Null(config.Preprocessing.TargetHeight);
        Assert.Null(config.InstanceCropping.CropSize);
        Assert.Equal(16, config.MaxStride); // UNetConfig.max_stride
        Assert.Equal(["A", "B"], config.PartNames); // the skeleton's nodes
        Assert.Equal([("A", "B")], config.PafEdges); // the skeleton's edges
        Assert.Equal(
            [
                new HeadConfig(HeadKind.MultiInstanceConfmaps, "MultiInstanceConfmapsHead", 1, 5.0, ["A", "B"]),
                new HeadConfig(HeadKind.PartAffinityFields, "PartAffinityFieldsHead", 4, 15.0, ["A->B.x", "A->B.y"]),
            ],
            config.Heads, HeadComparer.Instance);
    }

    [Fact]
    public void ResizeAndPadToTargetFalse()
    {
        using var dir = new TempDir();
        string path = EditedConfig.Write(dir, CenteredInstanceWithScaling,
            root => root.At("data.preprocessing")["resize_and_pad_to_target"] = false);

        Assert.False(TrainingConfig.Load(path).Preprocessing.ResizeAndPadToTarget);
    }

    [Theory]
    [InlineData("leap", null, 8)]
    [InlineData("hourglass", null, 64)]
    [InlineData("resnet", null, 32)]
    [InlineData("resnet", 16, 16)]
    [InlineData("pretrained_encoder", null, 32)]
    public void OtherBackbonesMaxStride(string kind, int? maxStride, int expected)
    {
        using var dir = new TempDir();
        string path = EditedConfig.Write(dir, SingleInstance, root =>
        {
            JsonObject backbone = root.At("model.backbone");
            backbone["unet"] = null;
            backbone[kind] = maxStride is int s ? new JsonObject { ["max_stride"] = s } : new JsonObject();
        });

        TrainingConfig config = TrainingConfig.Load(path);

        Assert.Equal(kind, config.Backbone.Kind);
        Assert.Equal(expected, config.MaxStride);
    }

    [Fact]
    public void SingleInstanceOffsetHeadFollowsTheConfmaps()
    {
        using var dir = new TempDir();
        string path = EditedConfig.Write(dir, SingleInstance,
            root => root.At("model.heads.single_instance")["offset_refinement"] = true);

        TrainingConfig config = TrainingConfig.Load(path);

        Assert.Equal(new HeadConfig(HeadKind.OffsetRefinement, "OffsetRefinementHead", 4, double.NaN, ["A.x", "A.y", "B.x", "B.y"]),
            config.FindHead(HeadKind.OffsetRefinement), HeadComparer.Instance);
        Assert.Equal(HeadKind.OffsetRefinement, config.Heads[^1].Kind);
    }
}
