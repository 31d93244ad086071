using System.Text.Json.Nodes;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Config;
using static SleapPS.Tests.Models.SleapNn.SleapNnConfigFixtures;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>Every training_config.yaml of the sleap-nn fixtures reads, with the values sleap-nn builds its networks from.</summary>
public class SleapNnConfigFixtureTests
{
    public static TheoryData<string> Configs => new(AllConfigs());

    public static TheoryData<string> TrainedModels => new(Trained);

    [Fact]
    public void FixturesHoldTheConfigsThisTestExpects() =>
        // 6 trained (training and initial configs) + 7 synthetic + 7 beside the 5 exports + 7 generated.
        Assert.Equal(33, AllConfigs().Count());

    [Theory]
    [MemberData(nameof(Configs))]
    public void EveryFixtureConfigReads(string relativePath)
    {
        string path = Path.Combine(Root, relativePath);
        SleapNnConfig config = SleapNnConfig.Load(path);

        Assert.Equal(path, config.SourcePath);
        Assert.NotEmpty(config.Heads);
        Assert.Equal(config.Heads.Count, config.HeadSigmas.Count);
        if (relativePath.StartsWith("generated_configs", StringComparison.Ordinal))
        {
            // Written before training: no skeleton yet, so nothing to predict onto.
            Assert.Null(config.Skeleton);
            var ex = Assert.Throws<SleapPS.Engine.SleapException>(config.ToTrainingConfig);
            Assert.Contains("data_config.skeletons is missing or empty", ex.Message);
            return;
        }
        Assert.Equal(["A", "B"], config.Skeleton!.NodeNames);
        // What the user submitted before training: sizes and the crop are still unresolved.
        if (Path.GetFileName(path) == "initial_config.yaml")
            return;
        TrainingConfig training = config.ToTrainingConfig();
        Assert.Equal(ModelFamily.SleapNn, training.Family);
        Assert.Equal(config.ModelType, training.ModelType);
        Assert.Equal(path, training.SourcePath);
        Assert.Equal(config.Heads.Select(h => h.ClassName), training.Heads.Select(h => h.KerasName));
        Assert.Equal(config.Heads.Select(h => h.OutputStride), training.Heads.Select(h => h.OutputStride));
    }

    [Fact]
    public void Centroid()
    {
        SleapNnConfig config = SleapNnConfig.Load(ModelFolder(SleapNnConfigFixtures.Centroid));

        Assert.Equal(ModelType.Centroid, config.ModelType);
        Assert.Equal("centroid", config.ModelTypeName);
        var unet = Assert.IsType<UNetBackbone>(config.Backbone);
        Assert.Equal((1, 16, 1.5, 8, 4, false, 3, 2, true, 1, (int?)null),
            (unet.InChannels, unet.Filters, unet.FiltersRate, unet.MaxStride, unet.OutputStride, unet.UpInterpolate, unet.KernelSize,
                unet.ConvsPerBlock, unet.MiddleBlock, unet.Stacks, unet.StemStride));
        var head = Assert.Single(config.Heads);
        Assert.Equal((HeadKind.CentroidConfmaps, 4, "CentroidConfmapsHead"), (head.Kind, head.OutputStride, head.ClassName));
        Assert.Equal(["centroid"], head.Channels);
        Assert.Equal(1, head.OutputChannels);
        Assert.Null(config.AnchorPart);
        Assert.Equal(1.0, config.Preprocessing.Scale);
        Assert.Null(config.Preprocessing.CropSize);
        Assert.Equal((384, 384), (config.Preprocessing.MaxHeight, config.Preprocessing.MaxWidth));

        TrainingConfig training = config.ToTrainingConfig();
        Assert.Equal(["A", "B"], training.PartNames);
        Assert.Equal(new BackboneConfig { Kind = "unet", MaxStride = 8, OutputStride = 4 }.MaxStride, training.MaxStride);
        Assert.Equal("unet", training.Backbone.Kind);
        var trainingHead = Assert.Single(training.Heads);
        Assert.Equal((HeadKind.CentroidConfmaps, "CentroidConfmapsHead", 4), (trainingHead.Kind, trainingHead.KerasName, trainingHead.OutputStride));
        Assert.Equal(["centroid"], trainingHead.Channels);
        Assert.True(training.Preprocessing.ResizeAndPadToTarget);
        Assert.Equal((384, 384), (training.Preprocessing.TargetHeight, training.Preprocessing.TargetWidth));
        Assert.Null(training.Preprocessing.PadToStride);
    }

    [Fact]
    public void CenteredInstance()
    {
        SleapNnConfig config = SleapNnConfig.Load(ModelConfig(SleapNnConfigFixtures.CenteredInstance));

        Assert.Equal(ModelType.CenteredInstance, config.ModelType);
        Assert.Equal(96, config.Preprocessing.CropSize);
        var head = Assert.Single(config.Heads);
        Assert.Equal((HeadKind.CenteredInstanceConfmaps, 2), (head.Kind, head.OutputStride));
        Assert.Equal(["A", "B"], head.Channels);
        Assert.Null(config.AnchorPart);

        TrainingConfig training = config.ToTrainingConfig();
        Assert.Equal(96, training.InstanceCropping.CropSize);
        Assert.Null(training.InstanceCropping.CenterOnPart);
        Assert.Equal(["A", "B"], training.PartNames);
        Assert.Equal(["A", "B"], training.Heads[0].Channels);
    }

    [Fact]
    public void BottomUp()
    {
        SleapNnConfig config = SleapNnConfig.Load(ModelConfig(SleapNnConfigFixtures.BottomUp));

        Assert.Equal(ModelType.MultiInstance, config.ModelType);
        Assert.Equal("bottomup", config.ModelTypeName);
        Assert.Equal([HeadKind.MultiInstanceConfmaps, HeadKind.PartAffinityFields], config.Heads.Select(h => h.Kind));
        Assert.Equal([2, 4], config.Heads.Select(h => h.OutputStride));
        Assert.Equal([1.5, 50.0], config.HeadSigmas);
        Assert.Equal([("A", "B")], config.PafEdges!);
        Assert.Equal(["A-B"], config.Heads[1].Channels);
        Assert.Equal(2, config.Heads[1].OutputChannels);

        TrainingConfig training = config.ToTrainingConfig();
        Assert.Equal([("A", "B")], training.PafEdges);
        Assert.Equal(["A->B.x", "A->B.y"], training.FindHead(HeadKind.PartAffinityFields)!.Channels);
        Assert.Equal(50.0, training.FindHead(HeadKind.PartAffinityFields)!.Sigma);
    }

    [Fact]
    public void MultiClassBottomUpPutsChannelsOnSkeletonNodesByPosition()
    {
        SleapNnConfig config = SleapNnConfig.Load(ModelConfig(MultiClassBottomUp));

        Assert.Equal(ModelType.MultiClassBottomUp, config.ModelType);
        // The config names its channels head and thorax, but its skeleton (and sleap-nn's predictions) say A and B.
        Assert.Equal(["head", "thorax"], config.PartNames!);
        Assert.Equal(["A", "B"], config.Skeleton!.NodeNames);
        Assert.Equal(["female", "male"], config.ClassNames!);
        Assert.Equal([HeadKind.MultiInstanceConfmaps, HeadKind.ClassMaps], config.Heads.Select(h => h.Kind));
        Assert.Equal([2, 2], config.Heads.Select(h => h.OutputStride));
        Assert.Equal(0.5, config.Preprocessing.Scale);
        var unet = Assert.IsType<UNetBackbone>(config.Backbone);
        Assert.Equal((8, 16, 2, true), (unet.Filters, unet.MaxStride, unet.OutputStride, unet.UpInterpolate));

        TrainingConfig training = config.ToTrainingConfig();
        Assert.Equal(["A", "B"], training.PartNames);
        Assert.Equal(["A", "B"], training.Heads[0].Channels);
        Assert.Equal(["female", "male"], training.ClassNames);
        Assert.Equal(["female", "male"], training.Heads[1].Channels);
        Assert.Equal(0.5, training.Preprocessing.InputScaling);
    }

    [Fact]
    public void MultiClassTopDown()
    {
        SleapNnConfig config = SleapNnConfig.Load(ModelConfig(SleapNnConfigFixtures.MultiClassTopDown));

        Assert.Equal(ModelType.MultiClassTopDown, config.ModelType);
        Assert.Equal("A", config.AnchorPart);
        Assert.Equal(128, config.Preprocessing.CropSize);
        Assert.Equal([HeadKind.CenteredInstanceConfmaps, HeadKind.ClassVectors], config.Heads.Select(h => h.Kind));
        var vectors = config.Heads[1];
        // The class vectors pool the deepest features: the backbone's max stride (16 here, as the config also says).
        Assert.Equal((16, 3, 64, true), (vectors.OutputStride, vectors.FullyConnectedLayers, vectors.FullyConnectedUnits, vectors.GlobalPool));
        Assert.Equal(["female", "male"], vectors.Channels);
        Assert.True(double.IsNaN(config.HeadSigmas[1]));

        TrainingConfig training = config.ToTrainingConfig();
        Assert.Equal("A", training.AnchorPart);
        Assert.Equal("A", training.InstanceCropping.CenterOnPart);
        Assert.Equal(128, training.InstanceCropping.CropSize);
        Assert.Equal(["female", "male"], training.ClassNames);
    }

    [Fact]
    public void SingleInstance()
    {
        SleapNnConfig config = SleapNnConfig.Load(ModelConfig(SleapNnConfigFixtures.SingleInstance));

        Assert.Equal(ModelType.SingleInstance, config.ModelType);
        var unet = Assert.IsType<UNetBackbone>(config.Backbone);
        Assert.Equal((3, 8, 2.0, 4, true), (unet.InChannels, unet.Filters, unet.FiltersRate, unet.MaxStride, unet.UpInterpolate));
        Assert.Equal(0.5, config.Preprocessing.Scale);
        Assert.Equal((320, 560), (config.Preprocessing.MaxHeight, config.Preprocessing.MaxWidth));
        Assert.False(config.Preprocessing.EnsureRgb);
        Assert.False(config.Preprocessing.EnsureGrayscale);
        Assert.Equal(HeadKind.SingleInstanceConfmaps, Assert.Single(config.Heads).Kind);
    }

    [Fact]
    public void ConvNextWithCustomArch()
    {
        SleapNnConfig config = SleapNnConfig.Load(SyntheticConfig("convnext_bottomup"));

        var convnext = Assert.IsType<ConvNextBackbone>(config.Backbone);
        Assert.Equal([1, 1, 2, 1], convnext.Depths);
        Assert.Equal([8, 16, 24, 32], convnext.Channels);
        Assert.Equal((4, 2, 32, 2, 3, 2.0, 2, false, 1), (convnext.StemPatchKernel, convnext.StemPatchStride, convnext.MaxStride, convnext.OutputStride,
            convnext.KernelSize, convnext.FiltersRate, convnext.ConvsPerBlock, convnext.UpInterpolate, convnext.InChannels));
        Assert.Equal([2, 4], config.Heads.Select(h => h.OutputStride));
        Assert.Equal("convnext", config.ToTrainingConfig().Backbone.Kind);
        Assert.Equal(32, config.ToTrainingConfig().MaxStride);
    }

    [Fact]
    public void SwinTWithCustomArch()
    {
        SleapNnConfig config = SleapNnConfig.Load(SyntheticConfig("swint_centroid"));

        var swint = Assert.IsType<SwinTBackbone>(config.Backbone);
        Assert.Equal(8, swint.EmbedDim);
        Assert.Equal([2, 2, 2, 2], swint.Depths);
        Assert.Equal([1, 2, 2, 4], swint.NumHeads);
        Assert.Equal((4, 2, 7, 32, 4, true), (swint.PatchSize, swint.StemPatchStride, swint.WindowSize, swint.MaxStride, swint.OutputStride, swint.UpInterpolate));
        Assert.Equal(4, Assert.Single(config.Heads).OutputStride);
    }

    [Fact]
    public void UNetOptions()
    {
        var stem = Assert.IsType<UNetBackbone>(SleapNnConfig.Load(SyntheticConfig("unet_stem_stride")).Backbone);
        Assert.Equal((2, 16, 2, true), (stem.StemStride!.Value, stem.MaxStride, stem.OutputStride, stem.UpInterpolate));

        var k5 = Assert.IsType<UNetBackbone>(SleapNnConfig.Load(SyntheticConfig("unet_k5_cpb3")).Backbone);
        Assert.Equal((5, 3, 8, false), (k5.KernelSize, k5.ConvsPerBlock, k5.MaxStride, k5.UpInterpolate));

        var noMiddle = Assert.IsType<UNetBackbone>(SleapNnConfig.Load(SyntheticConfig("unet_rgb_nomiddle")).Backbone);
        Assert.Equal((false, 1.0, 3), (noMiddle.MiddleBlock, noMiddle.FiltersRate, noMiddle.InChannels));
    }

    /// <summary>Heads in the order, class names and channel counts of the trained checkpoints' head_layers keys.</summary>
    [Theory]
    [MemberData(nameof(TrainedModels))]
    public void HeadsMatchTheCheckpointsHeadLayers(string model)
    {
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "expected", "summary.json")))!;
        var keys = summary["models"]![model]!["state_dict_keys"]!.AsObject();
        var headWeights = keys.Where(k => k.Key.StartsWith("head_layers.", StringComparison.Ordinal)).ToList();
        SleapNnConfig config = SleapNnConfig.Load(ModelConfig(model));

        for (int i = 0; i < config.Heads.Count; i++)
        {
            SleapNnHead head = config.Heads[i];
            // The output layer: a 1x1 conv (out, in, 1, 1), or for class vectors the Linear named after the head (out, in).
            string key = head.Kind == HeadKind.ClassVectors
                ? $"head_layers.{i}.ClassVectorsHead.weight"
                : $"head_layers.{i}.{head.ClassName}.0.weight";
            Assert.Equal(head.OutputChannels, Shape(key)[0]);
            if (head.Kind == HeadKind.ClassVectors)
            {
                var hidden = headWeights.Where(w => w.Key.StartsWith($"head_layers.{i}.pre_classification", StringComparison.Ordinal) && w.Key.EndsWith("_fc.weight", StringComparison.Ordinal)).ToList();
                Assert.Equal(head.FullyConnectedLayers, hidden.Count);
                Assert.All(hidden, w => Assert.Equal(head.FullyConnectedUnits, Shape(w.Key)[0]));
            }
        }

        int[] Shape(string key) => keys[key]!.AsArray().Select(n => (int)n!).ToArray();
        Assert.All(headWeights, w => Assert.Matches(@"^head_layers\.(\d+)\.", w.Key));
        Assert.Equal(config.Heads.Count, headWeights.Select(w => w.Key.Split('.')[1]).Distinct().Count());
    }

    /// <summary>The synthetic models' outputs, by head class name, in build order, with the channels and stride the config gives.</summary>
    [Theory]
    [InlineData("convnext_centered_instance")]
    [InlineData("convnext_bottomup")]
    [InlineData("swint_centered_instance")]
    [InlineData("swint_centroid")]
    [InlineData("unet_stem_stride")]
    [InlineData("unet_k5_cpb3")]
    [InlineData("unet_rgb_nomiddle")]
    public void HeadsMatchTheSyntheticOutputs(string model)
    {
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "synthetic", "synthetic_summary.json")))![model]!;
        var inputShape = summary["input_shape"]!.AsArray().Select(n => (int)n!).ToArray();
        var outputs = summary["outputs"]!.AsObject().ToList();
        SleapNnConfig config = SleapNnConfig.Load(SyntheticConfig(model));

        Assert.Equal(outputs.Select(o => o.Key), config.Heads.Select(h => h.ClassName));
        for (int i = 0; i < outputs.Count; i++)
        {
            var shape = outputs[i].Value!["shape"]!.AsArray().Select(n => (int)n!).ToArray();
            Assert.Equal(config.Heads[i].OutputChannels, shape[1]);
            Assert.Equal(config.Heads[i].OutputStride, inputShape[2] / shape[2]);
        }
        Assert.Equal((string)summary["backbone"]!, config.Backbone.Name);
        Assert.Equal(inputShape[1], config.Backbone.InChannels);
    }
}
