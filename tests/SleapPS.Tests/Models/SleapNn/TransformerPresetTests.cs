using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Config;
using SleapPS.Engine.Models.SleapNn.Networks;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// The ConvNeXt and SwinT builders ask for exactly sleap-nn's state-dict keys: the key list derived from sleap-nn's
/// module structure equals the synthetic checkpoints' own, and the presets (no checkpoint exists) build from it.
/// Also what the builder refuses.
/// </summary>
public class TransformerPresetTests
{
    [Theory]
    [MemberData(nameof(ConvNextSwinTGraphTests.Models), MemberType = typeof(ConvNextSwinTGraphTests))]
    public void Derived_keys_are_the_fixture_checkpoints_keys(string model)
    {
        var (backbone, heads) = SyntheticTransformerModels.Describe(model);
        var checkpoint = SyntheticTransformerModels.Weights(model);
        var derived = SleapNnTransformerKeys.Of(backbone, heads);
        Assert.Equal(checkpoint.Keys.Order(StringComparer.Ordinal), derived.Select(k => k.Name).Order(StringComparer.Ordinal));
        foreach (var key in derived)
        {
            var tensor = checkpoint.Require(key.Name);
            Assert.Equal(key.Shape, tensor.Shape);
            Assert.Equal(key.Int64, tensor.Int64s is not null);
        }
    }

    /// <summary>
    /// A fixture yaml edited to <c>model_type: tiny</c> (its custom arch stays in the file and is ignored, as in
    /// sleap-nn) reads as the tiny preset (ConvNeXt depths [3,3,9,3] channels [96,192,384,768]; SwinT embed 96 depths
    /// [2,2,6,2] heads [3,6,12,24]), and the graph builds from sleap-nn's keys for that preset and runs at 64x64.
    /// kernel_size 1 and filters_rate 1 keep the middle and decoder small; the encoder is the preset's in full.
    /// </summary>
    [Theory]
    [InlineData("convnext_centered_instance")]
    [InlineData("swint_centroid")]
    public void Tiny_preset_builds_from_sleap_nn_keys_and_runs(string model)
    {
        string yaml = File.ReadAllText(SyntheticTransformerModels.Path(model, SleapNnConfig.FileName))
            .Replace("model_type: null", "model_type: tiny")
            .Replace("kernel_size: 3", "kernel_size: 1")
            .Replace("filters_rate: 2.0", "filters_rate: 1.0");
        var config = SleapNnConfig.Parse(yaml, $"{model}_tiny/training_config.yaml");
        var backbone = config.Backbone;
        if (backbone is ConvNextBackbone convNext)
        {
            Assert.Equal([3, 3, 9, 3], convNext.Depths);
            Assert.Equal([96, 192, 384, 768], convNext.Channels);
        }
        else
        {
            var swinT = Assert.IsType<SwinTBackbone>(backbone);
            Assert.Equal(96, swinT.EmbedDim);
            Assert.Equal([2, 2, 6, 2], swinT.Depths);
            Assert.Equal([3, 6, 12, 24], swinT.NumHeads);
        }
        Assert.Equal(1, backbone.KernelSize);
        var weights = SleapNnTransformerKeys.ZeroWeights(SleapNnTransformerKeys.Of(backbone, config.Heads), $"{model}_tiny/best.ckpt");

        using var session = new InferenceSession(SleapNnGraphBuilder.Build(backbone, config.Heads, weights, $"{model}_tiny"));
        var outputs = ConvNextSwinTGraphTests.Run(session, new DenseTensor<float>([2, 64, 64, 1]));
        foreach (var head in config.Heads)
            Assert.Equal([2, 64 / head.OutputStride, 64 / head.OutputStride, head.OutputChannels], outputs[head.ClassName].Dimensions.ToArray());
    }

    [Fact]
    public void A_missing_weight_is_named()
    {
        var (backbone, heads) = SyntheticTransformerModels.Describe("swint_centroid");
        var keys = SleapNnTransformerKeys.Of(backbone, heads).Where(k => k.Name != "model.backbone.enc.features.5.1.attn.relative_position_bias_table");
        var error = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(backbone, heads, SleapNnTransformerKeys.ZeroWeights(keys, "cut.ckpt"), "cut"));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Contains("'model.backbone.enc.features.5.1.attn.relative_position_bias_table'", error.Message);
        Assert.Contains("'cut.ckpt'", error.Message);
    }

    [Fact]
    public void Three_stages_are_refused()
    {
        var (backbone, heads) = SyntheticTransformerModels.Describe("convnext_centered_instance");
        var threeStages = ((ConvNextBackbone)backbone) with { Depths = [1, 1, 2], Channels = [8, 16, 24] };
        var error = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(threeStages, heads, SyntheticTransformerModels.Weights("convnext_centered_instance"), "x"));
        Assert.Equal(SleapErrorKind.NotSupported, error.Kind);
        Assert.Contains("convnext an arch with 3 depths and 3 channels", error.Message);
    }

    /// <summary>convs_per_block 1 leaves only the contract conv, which sleap-nn sizes for last·rate input channels: it fails unless the rate is 1.</summary>
    [Fact]
    public void One_conv_per_block_with_a_rate_other_than_1_is_refused()
    {
        var (backbone, heads) = SyntheticTransformerModels.Describe("swint_centroid");
        var single = ((SwinTBackbone)backbone) with { ConvsPerBlock = 1 };
        var error = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(single, heads, SyntheticTransformerModels.Weights("swint_centroid"), "x"));
        Assert.Equal(SleapErrorKind.NotSupported, error.Kind);
        Assert.Contains("convnext_middle_contract_conv0", error.Message);
    }

    [Fact]
    public void A_stem_whose_output_is_not_the_input_over_its_stride_is_refused()
    {
        var (backbone, heads) = SyntheticTransformerModels.Describe("swint_centroid");
        var wide = ((SwinTBackbone)backbone) with { PatchSize = 7 };
        var error = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(wide, heads, SyntheticTransformerModels.Weights("swint_centroid"), "x"));
        Assert.Equal(SleapErrorKind.NotSupported, error.Kind);
        Assert.Contains("patch_size: 7 with stem_patch_stride: 2", error.Message);
    }
}
