using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
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
    /// sleap-nn's tiny presets (ConvNeXt depths [3,3,9,3] channels [96,192,384,768]; SwinT embed 96 depths [2,2,6,2]
    /// heads [3,6,12,24]) build from their derived keys and run at 64x64. kernel_size 1 and filters_rate 1 keep the
    /// middle and decoder small; the encoder is the preset's in full.
    /// </summary>
    [Theory]
    [InlineData("convnext")]
    [InlineData("swint")]
    public void Tiny_preset_builds_from_sleap_nn_keys_and_runs(string name)
    {
        SleapNnBackbone backbone = name == "convnext"
            ? new ConvNextBackbone
            {
                Depths = [3, 3, 9, 3], Channels = [96, 192, 384, 768], StemPatchKernel = 4, StemPatchStride = 2,
                InChannels = 1, KernelSize = 1, FiltersRate = 1, ConvsPerBlock = 2, UpInterpolate = true, OutputStride = 4,
            }
            : new SwinTBackbone
            {
                EmbedDim = 96, Depths = [2, 2, 6, 2], NumHeads = [3, 6, 12, 24], PatchSize = 4, StemPatchStride = 2, WindowSize = 7,
                InChannels = 1, KernelSize = 1, FiltersRate = 1, ConvsPerBlock = 2, UpInterpolate = true, OutputStride = 4,
            };
        SleapNnHead[] heads = [new SleapNnHead(HeadKind.CentroidConfmaps, 4, ["centroid"])];
        var weights = SleapNnTransformerKeys.ZeroWeights(SleapNnTransformerKeys.Of(backbone, heads), $"{name}_tiny.ckpt");

        using var session = new InferenceSession(SleapNnGraphBuilder.Build(backbone, heads, weights, $"{name}_tiny"));
        var outputs = ConvNextSwinTGraphTests.Run(session, new DenseTensor<float>([1, 64, 64, 1]));
        Assert.Equal([1, 16, 16, 1], outputs["CentroidConfmapsHead"].Dimensions.ToArray());
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
