using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Engine.Models.SleapNn.Networks;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// Issue 10's network yardstick for UNets: the graph SleapNnGraphBuilder builds from a fixture's config values and
/// checkpoint, run in ONNX Runtime (CPU), gives every raw head output sleap-nn computed on the exact tensor sleap-nn
/// fed its network, within 1e-4 (absolute). The backbone and head records are written here from each
/// training_config.yaml's values.
/// </summary>
public class UNetGraphTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    private static string Root => Path.GetFullPath(Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn"));

    private static UNetBackbone UNet(int inChannels, int filters, double rate, int maxStride, int outputStride, bool upInterpolate,
        int kernel = 3, int convsPerBlock = 2, bool middleBlock = true, int? stemStride = null, int stacks = 1) => new()
        {
            InChannels = inChannels, Filters = filters, FiltersRate = rate, ConfiguredMaxStride = maxStride, OutputStride = outputStride,
            UpInterpolate = upInterpolate, KernelSize = kernel, ConvsPerBlock = convsPerBlock, MiddleBlock = middleBlock,
            StemStride = stemStride, Stacks = stacks,
        };

    private static readonly string[] AB = ["A", "B"];

    /// <summary>A fixture model: its checkpoint, the records its yaml gives, and where sleap-nn's raw outputs are (npz array per head).</summary>
    private sealed record Case(string Checkpoint, UNetBackbone Backbone, SleapNnHead[] Heads, string Expected, Dictionary<string, string> Arrays);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["centroid"] = new("model_ckpts/minimal_instance_centroid",
            UNet(1, 16, 1.5, 8, 4, upInterpolate: false),
            [new(HeadKind.CentroidConfmaps, 4, ["centroid"])],
            "expected/centroid__raw.npz", new() { ["CentroidConfmapsHead"] = "output" }),
        ["centered_instance"] = new("model_ckpts/minimal_instance_centered_instance",
            UNet(1, 16, 1.5, 8, 2, upInterpolate: false),
            [new(HeadKind.CenteredInstanceConfmaps, 2, AB)],
            "expected/centered_instance__raw.npz", new() { ["CenteredInstanceConfmapsHead"] = "output" }),
        ["bottomup"] = new("model_ckpts/minimal_instance_bottomup",
            UNet(1, 16, 1.5, 8, 2, upInterpolate: false),
            [new(HeadKind.MultiInstanceConfmaps, 2, AB), new(HeadKind.PartAffinityFields, 4, ["A-B"])],
            "expected/bottomup__raw.npz", new() { ["MultiInstanceConfmapsHead"] = "MultiInstanceConfmapsHead", ["PartAffinityFieldsHead"] = "PartAffinityFieldsHead" }),
        ["multiclass_bottomup"] = new("model_ckpts/minimal_instance_multiclass_bottomup",
            UNet(1, 8, 1.5, 16, 2, upInterpolate: true),
            [new(HeadKind.MultiInstanceConfmaps, 2, ["head", "thorax"]), new(HeadKind.ClassMaps, 2, ["female", "male"])],
            "expected/multiclass_bottomup__raw.npz", new() { ["MultiInstanceConfmapsHead"] = "MultiInstanceConfmapsHead", ["ClassMapsHead"] = "ClassMapsHead" }),
        ["multiclass_centered_instance"] = new("model_ckpts/minimal_instance_multiclass_centered_instance",
            UNet(1, 8, 1.5, 16, 2, upInterpolate: true),
            [new(HeadKind.CenteredInstanceConfmaps, 2, AB), new(HeadKind.ClassVectors, 16, ["female", "male"], FullyConnectedLayers: 3, FullyConnectedUnits: 64)],
            "expected/multiclass_centered_instance__raw.npz", new() { ["CenteredInstanceConfmapsHead"] = "CenteredInstanceConfmapsHead", ["ClassVectorsHead"] = "ClassVectorsHead" }),
        ["single_instance"] = new("model_ckpts/minimal_instance_single_instance",
            UNet(3, 8, 2.0, 4, 4, upInterpolate: true),
            [new(HeadKind.SingleInstanceConfmaps, 4, AB)],
            "expected/single_instance__raw.npz", new() { ["SingleInstanceConfmapsHead"] = "output" }),
        ["synthetic unet_stem_stride"] = new("synthetic/unet_stem_stride",
            UNet(1, 16, 1.5, 16, 2, upInterpolate: true, stemStride: 2),
            [new(HeadKind.CentroidConfmaps, 2, ["centroid"])],
            "synthetic/unet_stem_stride/expected_outputs.npz", new() { ["CentroidConfmapsHead"] = "CentroidConfmapsHead" }),
        ["synthetic unet_k5_cpb3"] = new("synthetic/unet_k5_cpb3",
            UNet(1, 8, 1.5, 8, 2, upInterpolate: false, kernel: 5, convsPerBlock: 3),
            [new(HeadKind.CenteredInstanceConfmaps, 2, AB)],
            "synthetic/unet_k5_cpb3/expected_outputs.npz", new() { ["CenteredInstanceConfmapsHead"] = "CenteredInstanceConfmapsHead" }),
        ["synthetic unet_rgb_nomiddle"] = new("synthetic/unet_rgb_nomiddle",
            UNet(3, 8, 1.0, 8, 2, upInterpolate: true, middleBlock: false),
            [new(HeadKind.SingleInstanceConfmaps, 2, AB)],
            "synthetic/unet_rgb_nomiddle/expected_outputs.npz", new() { ["SingleInstanceConfmapsHead"] = "SingleInstanceConfmapsHead" }),
    };

    public static TheoryData<string> CaseIds => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Raw_head_outputs_equal_sleap_nn_within_1e_4(string caseId)
    {
        var c = Cases[caseId];
        var weights = ReadWeights(Path.Combine(Root, c.Checkpoint, "best.ckpt"));
        byte[] onnx = SleapNnGraphBuilder.Build(c.Backbone, c.Heads, weights, caseId);
        var expected = Npz.Load(Path.Combine(Root, c.Expected));

        var input = expected["input"];
        using var session = new InferenceSession(onnx);
        Assert.Equal(c.Heads.Select(h => h.ClassName), session.OutputNames);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(SleapNnGraphBuilder.InputName, SleapNnTensors.NhwcUnitFromUint8Nchw(input))]);

        double largest = 0;
        foreach (var (head, array) in c.Arrays)
        {
            var reference = expected[array];
            var actual = results.Single(r => r.Name == head).AsTensor<float>();
            double deviation = SleapNnTensors.MaxDeviation(reference, actual);
            output.WriteLine($"{caseId} {head} [{string.Join(", ", reference.Shape)}]: max |onnx - sleap-nn| = {deviation:E3} (max |sleap-nn| {reference.Values.Max(Math.Abs):G4})");
            Assert.True(deviation <= Tolerance, $"{caseId} {head}: max deviation {deviation:E3} > {Tolerance}");
            largest = Math.Max(largest, deviation);
        }
        output.WriteLine($"{caseId}: largest deviation {largest:E3}");
    }

    [Fact]
    public void A_stem_model_runs_where_its_extra_pool_meets_an_odd_size()
    {
        // 48 = 3 × max_stride 16: the stem's extra pool halves 3 to 2 (same padding), and the decoder resizes back to each skip's size.
        var c = Cases["synthetic unet_stem_stride"];
        using var session = new InferenceSession(SleapNnGraphBuilder.Build(c.Backbone, c.Heads, ReadWeights(Path.Combine(Root, c.Checkpoint, "best.ckpt")), "stem"));
        var input = new DenseTensor<float>(Enumerable.Range(0, 48 * 80).Select(i => (i * 37 % 256) / 255f).ToArray(), [1, 48, 80, 1]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(SleapNnGraphBuilder.InputName, input)]);
        var confmaps = results.Single().AsTensor<float>();
        Assert.Equal([1, 24, 40, 1], confmaps.Dimensions.ToArray());
        Assert.All(confmaps, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void The_same_settings_and_weights_give_the_same_bytes()
    {
        var c = Cases["multiclass_centered_instance"];
        var weights = ReadWeights(Path.Combine(Root, c.Checkpoint, "best.ckpt"));
        Assert.Equal(SleapNnGraphBuilder.Build(c.Backbone, c.Heads, weights, "a"), SleapNnGraphBuilder.Build(c.Backbone, c.Heads, weights, "a"));
    }

    [Fact]
    public void Stacks_other_than_1_are_refused_as_sleap_nn_cannot_run_them()
    {
        var (weights, checkpoint) = Weights("model_ckpts/minimal_instance_centroid");
        var ex = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(
            UNet(1, 16, 1.5, 8, 4, upInterpolate: false, stacks: 2), [new(HeadKind.CentroidConfmaps, 4, ["centroid"])], weights, "stacks2"));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"The sleap-nn model '{checkpoint}' has unet stacks: 2 in its training_config.yaml, which SleapPS cannot build: " +
                     "sleap-nn's UNet cannot run more than one stack (it feeds stack 0's decoder outputs, a dict, into stack 1's encoder and fails). Retrain with stacks: 1.", ex.Message);
    }

    [Fact]
    public void No_middle_block_with_a_filters_rate_other_than_1_is_refused_as_sleap_nn_cannot_run_it()
    {
        var (weights, checkpoint) = Weights("synthetic/unet_rgb_nomiddle");
        var ex = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(
            UNet(3, 8, 2.0, 8, 2, upInterpolate: true, middleBlock: false), [new(HeadKind.SingleInstanceConfmaps, 2, AB)], weights, "nomiddle_rate2"));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"The sleap-nn model '{checkpoint}' has unet middle_block: false with filters_rate: 2 in its training_config.yaml, which SleapPS cannot build: " +
                     "without a middle block sleap-nn's decoder expects filters·filters_rate^levels channels but receives one level fewer, and fails " +
                     "(middle_block: false works only with filters_rate: 1). Retrain with middle_block: true or filters_rate: 1.", ex.Message);
    }

    [Fact]
    public void A_layer_sleap_nn_would_feed_the_wrong_channels_is_refused_naming_it()
    {
        // convs_per_block 1 leaves the middle block without its expanding conv, so the contracting conv (built for
        // filters·rate^3 = 54 channels) would get the encoder's 36: sleap-nn fails there.
        var (weights, checkpoint) = Weights("model_ckpts/minimal_instance_centroid");
        var ex = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(
            UNet(1, 16, 1.5, 8, 4, upInterpolate: false, convsPerBlock: 1), [new(HeadKind.CentroidConfmaps, 4, ["centroid"])], weights, "cpb1"));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"The sleap-nn model '{checkpoint}' cannot run: sleap-nn builds its layer 'model.backbone.middle_blocks.0.blocks.stack0_enc4_middle_contract_conv0' " +
                     "for 54 input channels, but the network its training_config.yaml describes feeds that layer 36, so sleap-nn itself fails on this configuration. " +
                     "Retrain the model with a configuration sleap-nn can run.", ex.Message);
    }

    [Fact]
    public void A_head_at_a_stride_the_backbone_does_not_output_is_refused()
    {
        var (weights, checkpoint) = Weights("model_ckpts/minimal_instance_centroid");
        var ex = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(
            UNet(1, 16, 1.5, 8, 4, upInterpolate: false), [new(HeadKind.CentroidConfmaps, 2, ["centroid"])], weights, "os2"));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"The sleap-nn model '{checkpoint}' has a CentroidConfmapsHead at output_stride 2, but its backbone outputs the strides 4 only, " +
                     "so sleap-nn itself cannot run it. Retrain with the head's output_stride among the backbone's.", ex.Message);
    }

    [Fact]
    public void A_checkpoint_missing_a_weight_the_config_implies_is_refused_naming_the_key()
    {
        var (full, checkpoint) = Weights("model_ckpts/minimal_instance_centroid");
        const string missing = "model.backbone.decoders.0.decoder_stack.0.blocks.stack0_dec0_s8_to_s4_refine_conv1.bias";
        var weights = new StateDict(full.SourcePath, full.Keys.Where(k => k != missing).Select(k => full.Find(k)!));
        var ex = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(
            Cases["centroid"].Backbone, Cases["centroid"].Heads, weights, "missing"));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The checkpoint '{checkpoint}' has no weight '{missing}', which its training_config.yaml implies. " +
                     "The checkpoint and the config do not belong together: copy both from the same training run folder.", ex.Message);
    }

    [Fact]
    public void A_checkpoint_whose_weight_has_another_shape_than_the_config_implies_is_refused_naming_the_key()
    {
        // filters 8 instead of the checkpoint's 16: the very first conv is misshapen.
        var (weights, checkpoint) = Weights("model_ckpts/minimal_instance_centroid");
        var ex = Assert.Throws<SleapException>(() => SleapNnGraphBuilder.Build(
            UNet(1, 8, 1.5, 8, 4, upInterpolate: false), Cases["centroid"].Heads, weights, "filters8"));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The checkpoint '{checkpoint}' has the weight 'model.backbone.encoders.0.encoder_stack.0.blocks.stack0_enc0_conv0.weight' of shape [16, 1, 3, 3], " +
                     "but its training_config.yaml implies [8, 1, 3, 3]. The checkpoint and the config do not belong together: copy both from the same training run folder.", ex.Message);
    }

    private static (StateDict Weights, string Checkpoint) Weights(string folder)
    {
        string checkpoint = Path.Combine(Root, folder, "best.ckpt");
        return (ReadWeights(checkpoint), checkpoint);
    }

    /// <summary>The checkpoint's state dict, read as SleapPS reads it for a model folder.</summary>
    private static StateDict ReadWeights(string checkpoint) => CheckpointReader.Read(checkpoint);
}
