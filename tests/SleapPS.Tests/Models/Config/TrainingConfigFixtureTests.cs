using SleapPS.Engine.Models.Config;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Models.ConfigFiles.FixtureModels;

namespace SleapPS.Tests.Models.ConfigFiles;

/// <summary>Every fixture model's config read to the values of docs/design/models.md §2.6 (checked against the files with Python).</summary>
public class TrainingConfigFixtureTests
{
    public static TheoryData<string> Models => new(All);

    [Fact]
    public void SingleInstanceRobot()
    {
        TrainingConfig config = TrainingConfig.Load(Folder(SingleInstance));

        Assert.Equal(ModelType.SingleInstance, config.ModelType);
        Assert.Equal(0.5, config.Preprocessing.InputScaling);
        Assert.Equal(4, config.Preprocessing.PadToStride);
        Assert.Equal("unet", config.Backbone.Kind);
        Assert.Equal(4, config.MaxStride);
        Assert.Equal(["A", "B"], config.PartNames);
        Assert.Null(config.AnchorPart);
        HeadConfig head = Assert.Single(config.Heads);
        Assert.Equal(new HeadConfig(HeadKind.SingleInstanceConfmaps, "SingleInstanceConfmapsHead", 4, 5.0, ["A", "B"]), head, HeadComparer.Instance);
        Assert.Null(config.FindHead(HeadKind.OffsetRefinement));
        Assert.Empty(config.PafEdges);
        Assert.Empty(config.ClassNames);
        Assert.Null(config.InstanceCropping.CropSize);
    }

    [Fact]
    public void Centroid()
    {
        TrainingConfig config = TrainingConfig.Load(Folder(FixtureModels.Centroid));

        Assert.Equal(ModelType.Centroid, config.ModelType);
        Assert.Equal(1.0, config.Preprocessing.InputScaling);
        Assert.Equal(8, config.Preprocessing.PadToStride);
        Assert.Equal(8, config.MaxStride);
        Assert.Null(config.AnchorPart);
        Assert.Equal(["A", "B"], config.PartNames); // the skeleton's nodes: a centroid model predicts no parts
        Assert.Equal(
            [
                new HeadConfig(HeadKind.CentroidConfmaps, "CentroidConfmapsHead", 4, 1.5, ["centroid"]),
                new HeadConfig(HeadKind.OffsetRefinement, "OffsetRefinementHead", 4, double.NaN, ["centroid.x", "centroid.y"]),
            ],
            config.Heads, HeadComparer.Instance);
    }

    [Theory]
    [InlineData(CenteredInstance, 1.0, 96, false, null, null, "CenteredInstanceConfmapsHead")]
    [InlineData(CenteredInstanceWithScaling, 0.5, 56, true, 384, 384, "CenteredInstanceConfmapsHead")]
    public void CenteredInstanceModels(string name, double scaling, int cropSize, bool resizeKeyPresent, int? targetHeight, int? targetWidth, string kerasName)
    {
        TrainingConfig config = TrainingConfig.Load(Folder(name));

        Assert.Equal(ModelType.CenteredInstance, config.ModelType);
        Assert.Equal(scaling, config.Preprocessing.InputScaling);
        Assert.Equal(1, config.Preprocessing.PadToStride);
        // The first file has no resize_and_pad_to_target key: SLEAP's default (true) applies.
        Assert.True(config.Preprocessing.ResizeAndPadToTarget);
        Assert.Equal(resizeKeyPresent, File.ReadAllText(ConfigFile(name)).Contains("resize_and_pad_to_target"));
        Assert.Equal(targetHeight, config.Preprocessing.TargetHeight);
        Assert.Equal(targetWidth, config.Preprocessing.TargetWidth);
        Assert.Equal(cropSize, config.InstanceCropping.CropSize);
        Assert.Null(config.InstanceCropping.CenterOnPart);
        Assert.Equal(8, config.MaxStride);
        Assert.Equal(["A", "B"], config.PartNames);
        Assert.Equal(
            [
                new HeadConfig(HeadKind.CenteredInstanceConfmaps, kerasName, 2, 1.5, ["A", "B"]),
                new HeadConfig(HeadKind.OffsetRefinement, "OffsetRefinementHead", 2, double.NaN, ["A.x", "A.y", "B.x", "B.y"]),
            ],
            config.Heads, HeadComparer.Instance);
    }

    [Fact]
    public void BottomUp()
    {
        TrainingConfig config = TrainingConfig.Load(Folder(FixtureModels.BottomUp));

        Assert.Equal(ModelType.MultiInstance, config.ModelType);
        Assert.Equal(8, config.Preprocessing.PadToStride);
        Assert.Equal(8, config.MaxStride);
        Assert.Equal([("A", "B")], config.PafEdges);
        Assert.Equal(
            [
                new HeadConfig(HeadKind.MultiInstanceConfmaps, "MultiInstanceConfmapsHead", 2, 1.5, ["A", "B"]),
                new HeadConfig(HeadKind.PartAffinityFields, "PartAffinityFieldsHead", 4, 50, ["A->B.x", "A->B.y"]),
                new HeadConfig(HeadKind.OffsetRefinement, "OffsetRefinementHead", 2, double.NaN, ["A.x", "A.y", "B.x", "B.y"]),
            ],
            config.Heads, HeadComparer.Instance);
    }

    [Fact]
    public void BottomUpMultiClass()
    {
        TrainingConfig config = TrainingConfig.Load(Folder(FixtureModels.BottomUpMultiClass));

        Assert.Equal(ModelType.MultiClassBottomUp, config.ModelType);
        Assert.Equal(0.5, config.Preprocessing.InputScaling);
        Assert.Equal(16, config.Preprocessing.PadToStride);
        Assert.Equal(16, config.MaxStride);
        Assert.Equal(["head", "thorax"], config.PartNames);
        Assert.Equal(["female", "male"], config.ClassNames);
        Assert.Empty(config.PafEdges);
        Assert.Equal(
            [
                new HeadConfig(HeadKind.MultiInstanceConfmaps, "MultiInstanceConfmapsHead", 2, 5.0, ["head", "thorax"]),
                new HeadConfig(HeadKind.ClassMaps, "ClassMapsHead", 2, 5.0, ["female", "male"]),
            ],
            config.Heads, HeadComparer.Instance);
    }

    [Fact]
    public void TopDownMultiClass()
    {
        TrainingConfig config = TrainingConfig.Load(Folder(FixtureModels.TopDownMultiClass));

        Assert.Equal(ModelType.MultiClassTopDown, config.ModelType);
        Assert.Equal(1.0, config.Preprocessing.InputScaling);
        Assert.Equal(16, config.Preprocessing.PadToStride);
        Assert.True(config.Preprocessing.ResizeAndPadToTarget);
        Assert.Null(config.Preprocessing.TargetHeight);
        Assert.Null(config.Preprocessing.TargetWidth);
        Assert.Equal(128, config.InstanceCropping.CropSize);
        Assert.Equal("thorax", config.InstanceCropping.CenterOnPart);
        Assert.Equal("thorax", config.AnchorPart);
        Assert.Equal(16, config.MaxStride);
        Assert.Equal(["head", "thorax"], config.PartNames);
        Assert.Equal(["female", "male"], config.ClassNames);
        Assert.Equal(
            [
                new HeadConfig(HeadKind.CenteredInstanceConfmaps, "CenteredInstanceConfmapsHead", 2, 1.5, ["head", "thorax"]),
                new HeadConfig(HeadKind.ClassVectors, "ClassVectorsHead", 16, double.NaN, ["female", "male"]),
            ],
            config.Heads, HeadComparer.Instance);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void SkeletonIsTheFirstTrainingSkeleton(string name)
    {
        TrainingConfig config = TrainingConfig.Load(Folder(name));

        bool flies = name.StartsWith("min_tracks_2node", StringComparison.Ordinal);
        Assert.Equal(flies ? ["head", "thorax"] : ["A", "B"], config.Skeleton.NodeNames);
        Assert.Equal(flies ? "thorax -> head" : "A -> B", Assert.Single(config.Skeleton.Edges).ToString());
        Assert.Equal(config.Skeleton.NodeNames, config.PartNames);
        Assert.Equal("unet", config.Backbone.Kind);
        Assert.False(config.Preprocessing.EnsureRgb);
        Assert.False(config.Preprocessing.EnsureGrayscale);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void FolderAndJsonPathGiveTheSameConfig(string name)
    {
        TrainingConfig byFolder = TrainingConfig.Load(Folder(name));
        TrainingConfig byFile = TrainingConfig.Load(ConfigFile(name));

        Assert.Equal(Path.GetFullPath(ConfigFile(name)), byFolder.SourcePath);
        Assert.Equal(byFolder.SourcePath, byFile.SourcePath);
        Assert.Equal(Path.GetFullPath(Folder(name)), byFolder.ModelFolder);
        Assert.Equal(byFolder.ModelType, byFile.ModelType);
        Assert.Equal(byFolder.Heads, byFile.Heads, HeadComparer.Instance);
    }

    /// <summary>
    /// The heads, in order, are the Keras outputs of best_model.h5: SLEAP's find_head takes the first output whose
    /// name contains the head class name, so each output must contain its head's KerasName.
    /// </summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void HeadsMatchTheKerasOutputLayers(string name)
    {
        TrainingConfig config = TrainingConfig.Load(Folder(name));
        var outputs = H5py.Evaluate(Path.Combine(Folder(name), "best_model.h5"),
                "print(json.dumps([o[0] for o in json.loads(f.attrs['model_config'])['config']['output_layers']]))")
            .AsArray().Select(n => n!.GetValue<string>()).ToArray();

        Assert.Equal(outputs.Length, config.Heads.Count);
        for (int i = 0; i < outputs.Length; i++)
        {
            Assert.StartsWith(config.Heads[i].KerasName, outputs[i], StringComparison.Ordinal);
            Assert.Equal(i, Array.FindIndex(outputs, o => o.Contains(config.Heads[i].KerasName, StringComparison.Ordinal)));
        }
    }
}
