using SleapPS.Engine;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Config;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Models.SleapNn.SleapNnConfigFixtures;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>Bad training_config.yaml files: each a SleapException naming the file, the field's dotted path and its line.</summary>
public class SleapNnConfigErrorTests
{
    private const string FixHint = "Correct that field, or use the training_config.yaml that sleap-nn wrote when it trained the model.";
    private const string YamlHint = "Use the training_config.yaml that sleap-nn wrote when it trained the model.";
    private const string KnownTypes = "single_instance, centroid, centered_instance, bottomup, multi_class_bottomup, multi_class_topdown";

    // Line numbers below are those of the fixture files (checked by EditedYaml, which needs each edited text once).
    private static string CentroidYaml => ModelConfig(Centroid);
    private static string BottomUpYaml => ModelConfig(BottomUp);

    private static SleapException Load(string path) => Assert.Throws<SleapException>(() => SleapNnConfig.Load(path));

    private static void AssertInvalid(string path, string problem)
    {
        var ex = Load(path);
        Assert.Equal($"The training config '{path}' is not usable: {problem}. {FixHint}", ex.Message);
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(path, ex.Path);
    }

    private static void AssertUnsupported(string path, string problem)
    {
        var ex = Load(path);
        Assert.Equal($"The training config '{path}' describes a model SleapPS cannot run: {problem}.", ex.Message);
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal(path, ex.Path);
    }

    private static void AssertNotYaml(string path, string where)
    {
        var ex = Load(path);
        Assert.Equal($"The training config '{path}' is not valid YAML: {where}. {YamlHint}", ex.Message);
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(path, ex.Path);
    }

    [Fact]
    public void MisindentedYaml()
    {
        using var dir = new TempDir();
        string path = EditedYaml.Replace(dir, CentroidYaml, "    ensure_grayscale: false\n", "   ensure_grayscale: false\n");
        var ex = Load(path);
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.IsType<YamlDotNet.Core.YamlException>(ex.InnerException, exactMatch: false);
        Assert.Equal($"The training config '{path}' is not valid YAML: line 14, column 4: While parsing a block mapping, did not find expected key. {YamlHint}", ex.Message);
    }

    [Fact]
    public void UnclosedList()
    {
        using var dir = new TempDir();
        string path = EditedYaml.Replace(dir, CentroidYaml, "    max_width: 384\n", "    max_width: [384\n");
        var ex = Load(path);
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The training config '{path}' is not valid YAML: the YAML reader could not go on after line 16 (look there for an unclosed bracket or quote). {YamlHint}", ex.Message);
    }

    [Fact]
    public void DuplicateKey()
    {
        using var dir = new TempDir();
        AssertNotYaml(EditedYaml.Replace(dir, CentroidYaml, "    scale: 1.0\n", "    scale: 1.0\n    scale: 0.5\n"),
            "line 18: the key data_config.preprocessing.scale is given twice (first on line 17); a YAML mapping holds each key once");
    }

    [Fact]
    public void EmptyFile()
    {
        using var dir = new TempDir();
        AssertNotYaml(EditedYaml.Write(dir, ""), "line 1: the file is empty");
    }

    [Fact]
    public void NotAMapping()
    {
        using var dir = new TempDir();
        AssertNotYaml(EditedYaml.Write(dir, "- model_config\n- data_config\n"),
            "line 1: it must hold a mapping of settings (data_config, model_config, ...), not a list");
    }

    [Fact]
    public void TwoDocuments()
    {
        using var dir = new TempDir();
        AssertNotYaml(EditedYaml.Write(dir, File.ReadAllText(CentroidYaml) + "---\nmodel_config: null\n"),
            $"line {File.ReadAllLines(CentroidYaml).Length + 1}: it holds more than one YAML document, where a training config is one");
    }

    [Fact]
    public void NoModelType()
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.ReplaceLines(dir, CentroidYaml, 83, 87, "    centroid: null"),
            $"model_config.head_configs (line 81): no model type is set (exactly one of {KnownTypes} must be non-null)");
    }

    [Fact]
    public void TwoModelTypes()
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.Replace(dir, CentroidYaml, "    bottomup: null\n", "    bottomup:\n      confmaps:\n        sigma: 1.5\n"),
            "model_config.head_configs (line 81): more than one model type is set (centroid, bottomup); exactly one must be non-null");
    }

    [Fact]
    public void UnknownModelType()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.Replace(dir, CentroidYaml, "    multi_class_topdown: null\n", "    multi_class_topdown: null\n    multi_instance:\n      confmaps:\n        sigma: 1.5\n"),
            $"model_config.head_configs.multi_instance (line 92) names the model type 'multi_instance', which SleapPS does not know (it runs {KnownTypes})");
    }

    [Fact]
    public void SegmentationModel()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.ReplaceLines(dir, CentroidYaml, 83, 87, "    centroid: null", "    semantic_segmentation:", "      segmentation:", "        output_stride: 2"),
            $"model_config.head_configs.semantic_segmentation (line 84) is a sleap-nn segmentation model, which predicts masks, not poses; SleapPS runs {KnownTypes}");
    }

    [Fact]
    public void UnknownHead()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.ReplaceLines(dir, BottomUpYaml, 99, 99, "        loss_weight: 1.0", "      offsets:", "        output_stride: 2"),
            "model_config.head_configs.bottomup.offsets (line 100) names the head 'offsets', which SleapPS does not know for a bottomup model (its heads are confmaps, pafs)");
    }

    [Fact]
    public void UnknownBackbone()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.Replace(dir, CentroidYaml, "    swint: null\n", "    swint: null\n    resnet:\n      filters: 16\n"),
            "model_config.backbone_config.resnet (line 81) names the backbone 'resnet', which SleapPS does not know (it builds unet, convnext, swint)");
    }

    [Fact]
    public void PretrainedBackbone()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.Replace(dir, CentroidYaml, "    swint: null\n", "    swint: null\n    pretrained:\n      model_name: facebook/convnextv2-nano-22k-224\n"),
            "model_config.backbone_config.pretrained (line 81) is a HuggingFace pretrained backbone, which SleapPS does not build (it builds unet, convnext, swint)");
    }

    [Fact]
    public void TwoBackbones()
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.Replace(dir, CentroidYaml, "    convnext: null\n", "    convnext:\n      model_type: tiny\n"),
            "model_config.backbone_config (line 66): more than one backbone is set (unet, convnext); exactly one must be non-null");
    }

    [Fact]
    public void NoBackbone()
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.ReplaceLines(dir, CentroidYaml, 67, 78, "    unet: null"),
            "model_config.backbone_config (line 66): no backbone is set (exactly one of unet, convnext, swint must be non-null)");
    }

    [Fact]
    public void MissingModelConfig()
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.ReplaceLines(dir, CentroidYaml, 62, 92), "model_config is missing");
    }

    [Fact]
    public void MissingPafs()
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.ReplaceLines(dir, BottomUpYaml, 93, 99), "model_config.head_configs.bottomup.pafs is missing");
    }

    [Fact]
    public void NullConfmaps()
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.ReplaceLines(dir, CentroidYaml, 84, 87, "      confmaps: null"),
            "model_config.head_configs.centroid.confmaps (line 84) is null, but it must hold its settings");
    }

    [Theory]
    [InlineData("      filters: 16\n", "      filters: abc\n", "model_config.backbone_config.unet.filters (line 70) must be a positive whole number, not abc")]
    [InlineData("      filters: 16\n", "      filters: '16'\n", "model_config.backbone_config.unet.filters (line 70) must be a positive whole number, not '16'")]
    [InlineData("      filters: 16\n", "      filters: 16.0\n", "model_config.backbone_config.unet.filters (line 70) must be a positive whole number, not 16.0")]
    [InlineData("      filters: 16\n", "      filters: -16\n", "model_config.backbone_config.unet.filters (line 70) must be a positive whole number, not -16")]
    [InlineData("      middle_block: true\n", "      middle_block: 3\n", "model_config.backbone_config.unet.middle_block (line 74) must be true or false, not 3")]
    [InlineData("    scale: 1.0\n", "    scale: big\n", "data_config.preprocessing.scale (line 17) must be a positive number, not big")]
    [InlineData("        sigma: 1.5\n", "        sigma: [1.5]\n", "model_config.head_configs.centroid.confmaps.sigma (line 86) must be a positive number, not a list")]
    [InlineData("    max_height: 384\n", "    max_height: {a: 1}\n", "data_config.preprocessing.max_height (line 15) must be a positive whole number, not a mapping")]
    [InlineData("      max_stride: 8\n", "      max_stride: 12\n", "model_config.backbone_config.unet.max_stride (line 72) must be a power of two, not 12")]
    [InlineData("      in_channels: 1\n", "      in_channels: 2\n", "model_config.backbone_config.unet.in_channels (line 68) is 2, but it must be 1 (grayscale) or 3 (RGB)")]
    [InlineData("        anchor_part: null\n", "        anchor_part: C\n", "model_config.head_configs.centroid.confmaps.anchor_part (line 85) names 'C', which is not a node of the skeleton (A, B)")]
    [InlineData("        output_stride: 4\n", "        output_stride: 8\n",
        "model_config.head_configs.centroid.confmaps.output_stride (line 87) is 8, but the unet backbone gives outputs at strides 4 only (from its output_stride 4 up to 4)")]
    public void WrongValue(string oldText, string newText, string problem)
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.Replace(dir, CentroidYaml, oldText, newText), problem);
    }

    [Fact]
    public void ModelTypeSection()
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.ReplaceLines(dir, CentroidYaml, 66, 80, "  backbone_config: 5"),
            "model_config.backbone_config (line 66) must be a mapping of settings, not 5");
    }

    [Fact]
    public void PythonTagIsOnlyData()
    {
        using var dir = new TempDir();
        // A tag names no code that runs: the value is read as the list it is, and refused as a number.
        AssertInvalid(EditedYaml.Replace(dir, CentroidYaml, "      filters: 16\n", "      filters: !!python/object/apply:os.system [\"echo hi\"]\n"),
            "model_config.backbone_config.unet.filters (line 70) must be a positive whole number, not a list");
    }

    [Fact]
    public void PafEdgeNotAPart()
    {
        using var dir = new TempDir();
        AssertInvalid(EditedYaml.ReplaceLines(dir, BottomUpYaml, 96, 96, "          - C"),
            "model_config.head_configs.bottomup.pafs.edges[0] (line 95) must be a pair of part names from (A, B), not [A, C]");
    }

    [Fact]
    public void TwoStacks()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.Replace(dir, CentroidYaml, "      stacks: 1\n", "      stacks: 2\n"),
            "model_config.backbone_config.unet.stacks (line 76) is 2, but sleap-nn's UNet runs only one stack " +
            "(with more, its forward pass feeds one stack's output dictionary into the next and fails), so no such trained model exists");
    }

    [Fact]
    public void NoMiddleBlockWithFiltersRate()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.Replace(dir, CentroidYaml, "      middle_block: true\n", "      middle_block: false\n"),
            "model_config.backbone_config.unet.middle_block (line 74) is false with filters_rate 1.5, which sleap-nn's UNet cannot build " +
            "(its decoder then expects more channels than the encoder gives; middle_block false works only with filters_rate 1), so no such trained model exists");
    }

    [Fact]
    public void NoMiddleBlockWithFiltersRate2()
    {
        // SYNTHETIC.md's unet_rgb_nomiddle_rate2, which sleap-nn failed to build.
        using var dir = new TempDir();
        string path = EditedYaml.Replace(dir, SyntheticConfig("unet_rgb_nomiddle"), "      filters_rate: 1.0\n", "      filters_rate: 2.0\n");
        var ex = Load(path);
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Contains("model_config.backbone_config.unet.middle_block (line ", ex.Message);
        Assert.Contains(" is false with filters_rate 2.0, which sleap-nn's UNet cannot build", ex.Message);
    }

    [Fact]
    public void ListOfScales()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.Replace(dir, CentroidYaml, "    scale: 1.0\n", "    scale:\n    - 1.0\n    - 0.5\n"),
            "data_config.preprocessing.scale (line 17) is a list of scales; SleapPS runs models with one input scale");
    }

    [Fact]
    public void TiledModel()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.Replace(dir, CentroidYaml, "    min_crop_size: 100\n", "    min_crop_size: 100\n    tiling:\n      enabled: true\n"),
            "data_config.preprocessing.tiling.enabled (line 21) is true: the model predicts on tiles, which SleapPS does not do");
    }

    [Fact]
    public void ConvNextMaxStrideMustBeItsStride()
    {
        using var dir = new TempDir();
        AssertUnsupported(EditedYaml.Replace(dir, SyntheticConfig("convnext_bottomup"), "      max_stride: 32\n", "      max_stride: 16\n"),
            "model_config.backbone_config.convnext.max_stride (line 90) is 16, but a convnext backbone with stem_patch_stride 2 has stride 32; SleapPS runs only configs where they agree");
    }

    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDir();
        string path = dir.File("training_config.yaml");
        var ex = Load(path);
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal($"Cannot find the sleap-nn training config '{path}'.", ex.Message);
    }

    [Fact]
    public void FolderWithoutConfig()
    {
        using var dir = new TempDir();
        var ex = Load(dir.FullName);
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal($"The model folder '{dir.FullName}' has no training_config.yaml. Give the folder of a model trained by sleap-nn (it holds best.ckpt and training_config.yaml).", ex.Message);
        Assert.Equal(dir.File("training_config.yaml"), ex.Path);
    }

    // ---- Configs that read but do not describe a trained model: ToTrainingConfig refuses them.

    private static void AssertMapInvalid(string path, string problem)
    {
        SleapNnConfig config = SleapNnConfig.Load(path);
        var ex = Assert.Throws<SleapException>(config.ToTrainingConfig);
        Assert.Equal($"The training config '{path}' is not usable: {problem}. {FixHint}", ex.Message);
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
    }

    [Fact]
    public void GeneratedConfigHasNoSkeleton() => AssertMapInvalid(Path.Combine(Root, "generated_configs", "bottomup.yaml"),
        "data_config.skeletons is missing or empty, so the model's nodes are unknown; sleap-nn writes the skeleton into training_config.yaml " +
        "when it trains, so this config was never trained: give the training_config.yaml from the trained model's folder");

    [Fact]
    public void NullClasses()
    {
        using var dir = new TempDir();
        string path = EditedYaml.Replace(dir, ModelConfig(MultiClassBottomUp), "        classes:\n        - female\n        - male\n", "        classes: null\n");
        Assert.Null(SleapNnConfig.Load(path).ClassNames);
        AssertMapInvalid(path, "model_config.head_configs.multi_class_bottomup.class_maps.classes is null, so the identity classes are unknown; " +
            "sleap-nn fills them in from the tracks when it trains, so this config was never trained: give the training_config.yaml from the trained model's folder");
    }

    [Fact]
    public void NullCropSize()
    {
        using var dir = new TempDir();
        AssertMapInvalid(EditedYaml.Replace(dir, ModelConfig(CenteredInstance), "    crop_size: 96\n", "    crop_size: null\n"),
            "data_config.preprocessing.crop_size is null, but a centered_instance model needs its crop size (sleap-nn sets it in training_config.yaml at training)");
    }

    [Fact]
    public void MorePartsThanNodes()
    {
        using var dir = new TempDir();
        string path = EditedYaml.ReplaceLines(dir, BottomUpYaml, 89, 89, "        - B", "        - C");
        SleapNnConfig config = SleapNnConfig.Load(path);
        Assert.Equal(3, config.Heads[0].OutputChannels);
        var ex = Assert.Throws<SleapException>(config.ToTrainingConfig);
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"The training config '{path}' describes a model SleapPS cannot run: model_config.head_configs.bottomup.confmaps.part_names lists 3 parts (A, B, C), " +
            "but the skeleton has 2 nodes (A, B); sleap-nn writes channel i onto node i, so they must be as many.", ex.Message);
    }

    // ---- What sleap-nn does with presets, defaults and YAML features, reproduced.

    [Theory]
    [InlineData("small", new[] { 3, 3, 27, 3 }, new[] { 96, 192, 384, 768 })]
    [InlineData("base", new[] { 3, 3, 27, 3 }, new[] { 128, 256, 512, 1024 })]
    [InlineData("large", new[] { 3, 3, 27, 3 }, new[] { 192, 384, 768, 1536 })]
    [InlineData("tiny", new[] { 3, 3, 9, 3 }, new[] { 96, 192, 384, 768 })]
    [InlineData("custom", new[] { 1, 1, 2, 1 }, new[] { 8, 16, 24, 32 })]
    public void ConvNextPresetWinsOverArch(string modelType, int[] depths, int[] channels)
    {
        using var dir = new TempDir();
        var convnext = Assert.IsType<ConvNextBackbone>(SleapNnConfig.Load(EditedYaml.Replace(dir, SyntheticConfig("convnext_bottomup"),
            "      model_type: null\n", $"      model_type: {modelType}\n")).Backbone);
        Assert.Equal(depths, convnext.Depths);
        Assert.Equal(channels, convnext.Channels);
    }

    [Fact]
    public void ConvNextWithoutModelTypeIsTiny()
    {
        using var dir = new TempDir();
        // sleap-nn's config class defaults model_type to tiny, which then wins over the arch.
        var convnext = Assert.IsType<ConvNextBackbone>(SleapNnConfig.Load(EditedYaml.Replace(dir, SyntheticConfig("convnext_bottomup"),
            "      model_type: null\n", "")).Backbone);
        Assert.Equal([3, 3, 9, 3], convnext.Depths);
    }

    [Theory]
    [InlineData("small", 96, new[] { 2, 2, 18, 2 }, new[] { 3, 6, 12, 24 })]
    [InlineData("base", 128, new[] { 2, 2, 18, 2 }, new[] { 4, 8, 16, 32 })]
    [InlineData("tiny", 96, new[] { 2, 2, 6, 2 }, new[] { 3, 6, 12, 24 })]
    public void SwinTPresetWinsOverArch(string modelType, int embed, int[] depths, int[] heads)
    {
        using var dir = new TempDir();
        var swint = Assert.IsType<SwinTBackbone>(SleapNnConfig.Load(EditedYaml.Replace(dir, SyntheticConfig("swint_centroid"),
            "      model_type: null\n", $"      model_type: {modelType}\n")).Backbone);
        Assert.Equal(embed, swint.EmbedDim);
        Assert.Equal(depths, swint.Depths);
        Assert.Equal(heads, swint.NumHeads);
    }

    [Fact]
    public void SymmetriesAreRead()
    {
        using var dir = new TempDir();
        var config = SleapNnConfig.Load(EditedYaml.Replace(dir, CentroidYaml, "    symmetries: []\n", "    symmetries:\n    - - name: A\n      - name: B\n"));
        var symmetry = Assert.Single(config.Skeleton!.Symmetries);
        Assert.Equal(("A", "B"), (symmetry.First.Name, symmetry.Second.Name));
        Assert.Equal("Skeleton-0", config.Skeleton.Name);
        Assert.Equal(("A", "B"), (config.Skeleton.Edges[0].Source.Name, config.Skeleton.Edges[0].Destination.Name));
    }

    [Fact]
    public void AnchorsAndAliasesAreResolved()
    {
        using var dir = new TempDir();
        var config = SleapNnConfig.Load(EditedYaml.Replace(dir, CentroidYaml,
            "      filters: 16\n      filters_rate: 1.5\n", "      filters: &f 16\n      filters_rate: 1.5\n      kernel_size_copy: *f\n"));
        Assert.Equal(16, Assert.IsType<UNetBackbone>(config.Backbone).Filters);
    }

    [Fact]
    public void MissingKeysTakeSleapNnDefaults()
    {
        using var dir = new TempDir();
        // Everything under unet but max_stride and output_stride removed: UNetConfig's defaults apply.
        var unet = Assert.IsType<UNetBackbone>(SleapNnConfig.Load(EditedYaml.ReplaceLines(dir, CentroidYaml, 68, 77, "      max_stride: 8")).Backbone);
        Assert.Equal((1, 3, 32, 1.5, (int?)null, true, true, 1, 2), (unet.InChannels, unet.KernelSize, unet.Filters, unet.FiltersRate, unet.StemStride,
            unet.MiddleBlock, unet.UpInterpolate, unet.Stacks, unet.ConvsPerBlock));
        Assert.Equal(ModelType.Centroid, SleapNnConfig.Load(dir.File("training_config.yaml")).ModelType);
    }
}
