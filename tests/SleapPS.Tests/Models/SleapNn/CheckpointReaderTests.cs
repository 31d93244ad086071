using System.Text.Json.Nodes;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// Every best.ckpt of the sleap-nn fixtures reads into the state dict sleap-nn saved: the keys, shapes and dtypes its
/// summaries record, and values checked against ones Python's pickle and struct read from the same files.
/// </summary>
public class CheckpointReaderTests
{
    private static string SleapNnFixtures => Path.GetFullPath(Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn"));

    private static string TrainedCkpt(string model) => Path.Combine(SleapNnFixtures, "model_ckpts", model, "best.ckpt");

    private static string SyntheticCkpt(string model) => Path.Combine(SleapNnFixtures, "synthetic", model, "best.ckpt");

    public static IEnumerable<object[]> TrainedModels =>
        ((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(SleapNnFixtures, "expected", "summary.json")))!["models"]!)
        .Select(m => new object[] { m.Key });

    public static IEnumerable<object[]> SyntheticModels =>
        ((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(SleapNnFixtures, "synthetic", "synthetic_summary.json")))!)
        .Where(m => (bool)m.Value!["ok"]!).Select(m => new object[] { m.Key });

    [Theory]
    [MemberData(nameof(TrainedModels))]
    public void Trained_checkpoint_has_the_keys_and_shapes_sleap_nn_recorded(string model)
    {
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(SleapNnFixtures, "expected", "summary.json")))!["models"]![model]!;
        var expected = ((JsonObject)summary["state_dict_keys"]!).ToDictionary(
            k => "model." + k.Key, k => k.Value!.AsArray().Select(d => (long)d!).ToArray());

        var checkpoint = CheckpointReader.ReadCheckpoint(TrainedCkpt(model));

        var weights = checkpoint.StateDict;
        Assert.Equal(TrainedCkpt(model), weights.SourcePath);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), weights.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected)
        {
            var tensor = weights.Require(key, shape);
            Assert.NotNull(tensor.Floats);
            Assert.Equal(shape.Aggregate(1L, (n, s) => n * s), tensor.ElementCount);
        }
        Assert.Equal((long)summary["n_params"]!, weights.Keys.Sum(k => weights.Find(k)!.ElementCount));
        Assert.Equal("2.5.1.post0", checkpoint.LightningVersion);
    }

    [Theory]
    [MemberData(nameof(SyntheticModels))]
    public void Synthetic_checkpoint_has_the_key_count_parameters_and_dtypes_recorded(string model)
    {
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(SleapNnFixtures, "synthetic", "synthetic_summary.json")))![model]!;

        var checkpoint = CheckpointReader.ReadCheckpoint(SyntheticCkpt(model));

        var weights = checkpoint.StateDict;
        Assert.Equal((int)summary["n_state_dict_keys"]!, weights.Count);
        Assert.All(weights.Keys, k => Assert.StartsWith("model.", k));
        // n_params counts the float32 parameters; SwinT's relative_position_index buffers are int64 (SYNTHETIC.md).
        var tensors = weights.Keys.Select(k => weights.Find(k)!).ToList();
        Assert.Equal((long)summary["n_params"]!, tensors.Where(t => t.Floats is not null).Sum(t => t.ElementCount));
        var integers = tensors.Where(t => t.Int64s is not null).ToList();
        Assert.All(integers, t => Assert.EndsWith(".attn.relative_position_index", t.Name));
        Assert.Equal(model.StartsWith("swint", StringComparison.Ordinal) ? 8 : 0, integers.Count);
        Assert.All(integers, t => Assert.Equal([2401L], t.Shape));
        Assert.Equal((0L, 0L, "2.5.1.post0"), (checkpoint.Epoch, checkpoint.GlobalStep, checkpoint.LightningVersion));
    }

    [Fact]
    public void Float_values_equal_what_python_reads_from_the_storage()
    {
        var checkpoint = CheckpointReader.ReadCheckpoint(TrainedCkpt("minimal_instance_centroid"));
        var head = checkpoint.StateDict.Floats("model.head_layers.0.CentroidConfmapsHead.0.weight", 1, 36, 1, 1);
        Assert.Equal([0.08917070925235748f, 0.02297988347709179f, -0.06087060645222664f, -0.14071239531040192f], head[..4]);
        Assert.Equal(-0.18806977570056915, head.Sum(v => (double)v), 1e-9);
        Assert.Equal((21L, 2200L), (checkpoint.Epoch, checkpoint.GlobalStep));

        var rgb = CheckpointReader.Read(TrainedCkpt("minimal_instance_single_instance"))
            .Floats("model.backbone.encoders.0.encoder_stack.0.blocks.stack0_enc0_conv0.weight", 8, 3, 3, 3);
        Assert.Equal([-0.07334086298942566f, -0.21120452880859375f, 0.13526205718517303f, 0.07217139005661011f], rgb[..4]);
        Assert.Equal(1.381516438210383, rgb.Sum(v => (double)v), 1e-9);
    }

    [Fact]
    public void Swin_relative_position_index_is_int64_with_its_values()
    {
        var index = CheckpointReader.Read(SyntheticCkpt("swint_centroid")).Require("model.backbone.enc.features.1.0.attn.relative_position_index", 2401);
        Assert.Null(index.Floats);
        Assert.Equal([84L, 83L, 82L, 81L], index.Int64s![..4]);
        Assert.Equal(201684L, index.Int64s.Sum());
        Assert.Equal(168L, index.Int64s.Max());
    }
}
