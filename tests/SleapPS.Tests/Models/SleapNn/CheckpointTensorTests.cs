using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// Tensor views and element types the fixtures do not exercise, in hand-made checkpoints: storage offsets, transposed
/// strides, storages shared by several tensors, float16/bfloat16/float64 read as float32, int32 as int64.
/// </summary>
public class CheckpointTensorTests
{
    [Fact]
    public void Offset_and_strides_are_honoured_and_storages_can_be_shared()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        // Storage 0..7; 'model.t' is the transposed 2x3 view starting at element 1: rows (1,3,5) and (2,4,6).
        var pickle = PickleBuilder.Lightning(p => p
            .Unicode("model.t").Tensor("FloatStorage", "0", 8, 1, [3, 2], [1, 3])
            .Unicode("model.row").Tensor("FloatStorage", "0", 8, 4, [4], [1])
            .Unicode("model.empty").Tensor("FloatStorage", "0", 8, 0, [0, 5], [5, 1]));
        HandMadeCheckpoint.Write(path, pickle.ToArray(), [("0", HandMadeCheckpoint.Floats(0, 1, 2, 3, 4, 5, 6, 7))]);

        var weights = CheckpointReader.Read(path);

        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], weights.Floats("model.t", 3, 2));
        Assert.Equal([4f, 5f, 6f, 7f], weights.Floats("model.row", 4));
        Assert.Empty(weights.Floats("model.empty", 0, 5));
    }

    [Fact]
    public void Half_bfloat16_and_double_storages_become_float32_and_int32_becomes_int64()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        var pickle = PickleBuilder.Lightning(p => p
            .Unicode("model.half").Tensor("HalfStorage", "0", 3, 0, [3], [1])
            .Unicode("model.bf16").Tensor("BFloat16Storage", "1", 2, 0, [2], [1])
            .Unicode("model.double").Tensor("DoubleStorage", "2", 2, 0, [2], [1])
            .Unicode("model.int").Tensor("IntStorage", "3", 2, 0, [2], [1]));
        byte[] half = [.. BitConverter.GetBytes((Half)1.5f), .. BitConverter.GetBytes((Half)(-2f)), .. BitConverter.GetBytes((Half)0.099975586f)];
        // bfloat16 is the high 16 bits of a float32: 3.0f = 0x40400000, -0.5f = 0xBF000000.
        byte[] bf16 = [0x40, 0x40, 0x00, 0xBF];
        byte[] doubles = [.. BitConverter.GetBytes(0.1), .. BitConverter.GetBytes(-1e10)];
        byte[] ints = [.. BitConverter.GetBytes(-7), .. BitConverter.GetBytes(int.MaxValue)];
        HandMadeCheckpoint.Write(path, pickle.ToArray(), [("0", half), ("1", bf16), ("2", doubles), ("3", ints)]);

        var weights = CheckpointReader.Read(path);

        Assert.Equal([1.5f, -2f, 0.099975586f], weights.Floats("model.half", 3));
        Assert.Equal([3f, -0.5f], weights.Floats("model.bf16", 2));
        Assert.Equal([0.1f, -1e10f], weights.Floats("model.double", 2));
        Assert.Equal([-7L, int.MaxValue], weights.Require("model.int", 2).Int64s!);
    }

    [Fact]
    public void Lightning_facts_are_read_beside_the_weights()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        HandMadeCheckpoint.Write(path, PickleBuilder.Lightning(_ => { }).ToArray(), byteorder: null);

        var checkpoint = CheckpointReader.ReadCheckpoint(path);

        Assert.Equal(0, checkpoint.StateDict.Count);
        Assert.Equal(("2.5.1.post0", 3L, 70000L), (checkpoint.LightningVersion, checkpoint.Epoch, checkpoint.GlobalStep));
    }

    [Fact]
    public void Optimiser_state_callbacks_and_an_omegaconf_config_beside_the_weights_are_skipped()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        // What a full Lightning checkpoint adds to sleap-nn's: Adam's state (tensors outside the state dict, a betas
        // tuple), a callback's state keyed by a long string, and a DictConfig whose metadata says typing.Dict[str, Any]
        // and whose parent link points back at itself.
        var p = new PickleBuilder().Proto().EmptyDict().Mark()
            .Unicode("state_dict").Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark()
                .Unicode("model.w").Tensor("FloatStorage", "0", 3, 0, [3], [1])
            .SetItems()
            .Unicode("optimizer_states").EmptyList().Mark()
                .EmptyDict().Mark()
                    .Unicode("state").EmptyDict().Int(0).EmptyDict().Mark()
                        .Unicode("step").Tensor("FloatStorage", "1", 1, 0, [], [])
                        .Unicode("exp_avg").Tensor("FloatStorage", "2", 3, 0, [3], [1])
                    .SetItems().SetItem()
                    .Unicode("param_groups").EmptyList().EmptyDict().Mark()
                        .Unicode("lr").Float(1e-4).Unicode("betas").Float(0.9).Float(0.999).Tuple2().Unicode("foreach").None()
                    .SetItems().Raw((byte)'a')
                .SetItems()
            .Appends()
            .Unicode("callbacks").EmptyDict().Unicode("ModelCheckpoint{'monitor': 'val/loss', 'mode': 'min'}").EmptyDict().Mark()
                .Unicode("best_model_score").Tensor("FloatStorage", "1", 1, 0, [], []).Unicode("dirpath").Unicode("/runs/x")
                .Unicode("kth_value").Float(double.PositiveInfinity)
            .SetItems().SetItem()
            .Unicode("config").Global("omegaconf.dictconfig", "DictConfig").EmptyTuple().NewObj().Put(1).EmptyDict().Mark()
                .Unicode("_metadata").Global("omegaconf.base", "ContainerMetadata").EmptyTuple().NewObj().EmptyDict().Mark()
                    .Unicode("ref_type").Global("_operator", "getitem").Global("typing", "Dict").Global("__builtin__", "unicode")
                        .Global("typing", "Any").Tuple2().Tuple2().Reduce()
                    .Unicode("resolver_cache").Global("collections", "defaultdict").Global("__builtin__", "dict").Tuple1().Reduce()
                        .Unicode("k").Int(1).SetItem()
                    .Unicode("object_type").Global("sleap_nn.config.training_job_config", "TrainingJobConfig")
                .SetItems().Build()
                .Unicode("_parent").Get(1)
            .SetItems().Build()
            .SetItems().Stop();
        HandMadeCheckpoint.Write(path, p.ToArray(),
            [("0", HandMadeCheckpoint.Floats(1, 2, 3)), ("1", HandMadeCheckpoint.Floats(9)), ("2", HandMadeCheckpoint.Floats(0, 0, 0))]);

        var weights = CheckpointReader.Read(path);

        Assert.Equal(["model.w"], weights.Keys);
        Assert.Equal([1f, 2f, 3f], weights.Floats("model.w", 3));
    }
}
