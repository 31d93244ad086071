using SleapPS.Engine;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// Hostile and broken checkpoints, built byte by byte: each is refused with a SleapException that names the file and
/// what is wrong, and nothing in them is ever run (docs/design/sleap-nn-checkpoint.md).
/// </summary>
public class CheckpointReaderErrorTests
{
    private const string Start = "Cannot read the sleap-nn checkpoint";
    private const string CopyAgain = "Copy best.ckpt again from the folder sleap-nn trained it in.";

    private static string Forbidden(string path, string name) =>
        $"{Start} '{path}': its pickle asks for the Python name '{name}', which a model's weights never need. " +
        "SleapPS never runs code from model files, so it refuses this checkpoint. Use the best.ckpt that sleap-nn wrote, from a source you trust.";

    private static SleapException Refused(string path, SleapErrorKind kind)
    {
        var error = Assert.Throws<SleapException>(() => CheckpointReader.Read(path));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(path, error.Path);
        return error;
    }

    [Fact]
    public void Os_system_is_refused_and_never_runs()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt"), marker = temp.File("X");
        // {..., 'state_dict': OrderedDict({'model.w': os.system('touch X')})}: these exact bytes, given to Python's
        // pickle.loads, create X (checked by hand when the test was written).
        var pickle = PickleBuilder.Lightning(p => p.Unicode("model.w").Global("os", "system").Unicode($"touch '{marker}'").Tuple1().Reduce());
        HandMadeCheckpoint.Write(path, pickle.ToArray());

        var error = Refused(path, SleapErrorKind.InvalidData);

        Assert.Equal(Forbidden(path, "os.system"), error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Builtins_eval_named_by_stack_global_is_refused()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        // Protocol 4: STACK_GLOBAL takes the module and name from the stack. Python's pickle.loads prints "hi".
        var pickle = new PickleBuilder().Proto(4).ShortUnicode("builtins").Memoize().ShortUnicode("eval").Memoize().StackGlobal()
            .ShortUnicode("__import__('os').system('echo hi')").Tuple1().Reduce().Stop();
        HandMadeCheckpoint.Write(path, pickle.ToArray());

        Assert.Equal(Forbidden(path, "builtins.eval"), Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Theory]
    [InlineData("posix", "system", "posix.system")]
    [InlineData("nt", "system", "nt.system")]
    [InlineData("subprocess", "Popen", "subprocess.Popen")]
    [InlineData("__builtin__", "eval", "builtins.eval")]
    [InlineData("builtins", "exec", "builtins.exec")]
    [InlineData("builtins", "getattr", "builtins.getattr")]
    [InlineData("__builtin__", "__import__", "builtins.__import__")]
    [InlineData("torch", "load", "torch.load")]
    [InlineData("sleap_nn.config.utils", "get_output_strides", "sleap_nn.config.utils.get_output_strides")]
    public void Any_other_callable_is_refused_by_name_before_it_is_used(string module, string name, string pythonName)
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        // The name alone is refused: no arguments, no REDUCE follows.
        HandMadeCheckpoint.Write(path, new PickleBuilder().Proto().Global(module, name).Stop().ToArray());

        Assert.Equal(Forbidden(path, pythonName), Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Unknown_class_inside_the_state_dict_is_refused_by_name()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        var pickle = PickleBuilder.Lightning(p => p.Unicode("model.w").Global("mymodule.layers", "Gadget").EmptyTuple().NewObj());
        HandMadeCheckpoint.Write(path, pickle.ToArray());

        Assert.Equal(Forbidden(path, "mymodule.layers.Gadget"), Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Placeholder_of_a_harmless_class_inside_the_state_dict_is_refused_by_its_class()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        // A DictConfig is fine in Lightning's config, but a state dict holds tensors only.
        var pickle = PickleBuilder.Lightning(p => p.Unicode("model.w").Global("omegaconf.dictconfig", "DictConfig").EmptyTuple().NewObj()
            .EmptyDict().Build());
        HandMadeCheckpoint.Write(path, pickle.ToArray());

        Assert.Equal($"{Start} '{path}': its state_dict holds an object of class 'omegaconf.dictconfig.DictConfig' under 'model.w', where only tensors belong. {CopyAgain}",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Storage_declaring_more_values_than_its_entry_holds_is_refused_before_allocating()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        // 4 floats in the entry, a billion declared.
        var pickle = PickleBuilder.Lightning(p => p.Unicode("model.w").Tensor("FloatStorage", "0", 1_000_000_000, 0, [1_000_000_000], [1]));
        HandMadeCheckpoint.Write(path, pickle.ToArray(), [("0", HandMadeCheckpoint.Floats(1, 2, 3, 4))]);

        Assert.Equal($"{Start} '{path}': its storage 'best/data/0' declares 1000000000 float32 values (4000000000 bytes), but the entry holds 16 bytes. {CopyAgain}",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Tensor_reaching_past_its_storage_is_refused()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        var pickle = PickleBuilder.Lightning(p => p.Unicode("model.w").Tensor("FloatStorage", "0", 4, 1, [2, 2], [2, 1]));
        HandMadeCheckpoint.Write(path, pickle.ToArray(), [("0", HandMadeCheckpoint.Floats(1, 2, 3, 4))]);

        Assert.Equal($"{Start} '{path}': a tensor of size [2, 2] with strides [2, 1] at offset 1 reaches element 4 of its storage 'best/data/0', which holds 4 float32 values. {CopyAgain}",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Storage_entry_missing_from_the_zip_is_refused()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        var pickle = PickleBuilder.Lightning(p => p.Unicode("model.w").Tensor("FloatStorage", "7", 4, 0, [4], [1]));
        HandMadeCheckpoint.Write(path, pickle.ToArray(), [("0", HandMadeCheckpoint.Floats(1, 2, 3, 4))]);

        Assert.Equal($"{Start} '{path}': its pickle refers to the storage 'best/data/7', which is not in the zip. {CopyAgain}",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Truncated_zip_is_refused()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        byte[] bytes = File.ReadAllBytes(Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn", "model_ckpts", "minimal_instance_centroid", "best.ckpt"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.Equal($"{Start} '{path}': it is not a PyTorch checkpoint (its zip archive is truncated or damaged: its zip directory is missing or unreadable). " +
            "If it was being copied, wait for that to finish; otherwise copy best.ckpt again from the folder sleap-nn trained it in.",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void File_that_is_not_a_zip_is_refused()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        File.WriteAllText(path, "model_config:\n  backbone_config: {}\n");

        Assert.Equal($"{Start} '{path}': it is not a PyTorch checkpoint (not a zip archive). Choose the best.ckpt that sleap-nn saved in the model folder.",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Empty_file_is_not_a_zip()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        File.WriteAllBytes(path, []);

        Assert.StartsWith($"{Start} '{path}': it is not a PyTorch checkpoint (not a zip archive).", Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Legacy_torch_save_format_is_not_supported()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        File.WriteAllBytes(path, new PickleBuilder().Proto().Int(0x1950a86a20f9469c).Stop().ToArray());

        Assert.Equal($"{Start} '{path}': it was saved in PyTorch's legacy (before 1.6) format, which SleapPS does not read. Train or re-save the model with a current sleap-nn.",
            Refused(path, SleapErrorKind.NotSupported).Message);
    }

    [Fact]
    public void Zip_without_data_pkl_is_refused()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        HandMadeCheckpoint.Write(path, pickle: null, [("0", HandMadeCheckpoint.Floats(1))]);

        Assert.Equal($"{Start} '{path}': the zip has no data.pkl, so it is not a PyTorch checkpoint. {CopyAgain}",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Missing_file()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");

        Assert.Equal($"{Start} '{path}': the file does not exist. A sleap-nn model folder holds best.ckpt next to training_config.yaml; check the path.",
            Refused(path, SleapErrorKind.NotFound).Message);
    }

    [Fact]
    public void Checkpoint_without_a_state_dict_is_refused()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        var pickle = new PickleBuilder().Proto().EmptyDict().Unicode("epoch").Int(1).SetItem().Stop();
        HandMadeCheckpoint.Write(path, pickle.ToArray());

        Assert.Equal($"{Start} '{path}': it has no state_dict, so it holds no model weights (is it a Lightning checkpoint saved by sleap-nn?). {CopyAgain}",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Unsupported_opcode_is_named_in_hex()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        // INST (0x69) builds an object from a class named inline: protocol 0, never written by torch.save.
        var pickle = new PickleBuilder().Proto().Mark().Raw((byte)'i').Raw("os\nsystem\n"u8.ToArray()).Stop();
        HandMadeCheckpoint.Write(path, pickle.ToArray());

        Assert.Equal($"{Start} '{path}': its pickle uses the opcode 0x69 (at byte 3), which PyTorch does not write in checkpoints and SleapPS does not read.",
            Refused(path, SleapErrorKind.NotSupported).Message);
    }

    [Fact]
    public void Length_field_past_the_end_of_the_pickle_is_refused_before_allocating()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        // BINUNICODE claiming 2 GB.
        var pickle = new PickleBuilder().Proto().Raw((byte)'X').Raw(BitConverter.GetBytes(int.MaxValue)).Raw("abc"u8.ToArray());
        HandMadeCheckpoint.Write(path, pickle.ToArray());

        Assert.Equal($"{Start} '{path}': its pickle (data.pkl) is damaged at byte 2: BINUNICODE declares 2147483647 bytes, more than the 3 left in data.pkl. {CopyAgain}",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        var pickle = new PickleBuilder().Proto().Raw(Enumerable.Repeat((byte)'(', 100_000).ToArray());
        HandMadeCheckpoint.Write(path, pickle.ToArray());

        Assert.Equal($"{Start} '{path}': its pickle (data.pkl) is damaged at byte 1002: it nests deeper than 1000 levels. {CopyAgain}",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }

    [Fact]
    public void Big_endian_checkpoint_is_not_supported()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        HandMadeCheckpoint.Write(path, PickleBuilder.Lightning(_ => { }).ToArray(), byteorder: "big");

        Assert.Equal($"{Start} '{path}': its tensors are stored big-endian; SleapPS reads the little-endian checkpoints every common machine writes.",
            Refused(path, SleapErrorKind.NotSupported).Message);
    }

    [Fact]
    public void Storage_type_outside_the_supported_dtypes_is_not_supported()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        var pickle = PickleBuilder.Lightning(p => p.Unicode("model.w").Tensor("ComplexFloatStorage", "0", 1, 0, [1], [1]));
        HandMadeCheckpoint.Write(path, pickle.ToArray(), [("0", new byte[8])]);

        Assert.Equal($"{Start} '{path}': it stores tensors as torch.ComplexFloatStorage, an element type SleapPS does not read " +
            "(it reads float32, float16, bfloat16, float64, integer and bool tensors). Save the model's weights as float32.",
            Refused(path, SleapErrorKind.NotSupported).Message);
    }

    [Fact]
    public void Calling_a_placeholder_is_refused()
    {
        using var temp = new TempDir();
        string path = temp.File("best.ckpt");
        // A placeholder is never callable, even one of a harmless class.
        var pickle = new PickleBuilder().Proto().Global("pathlib", "PosixPath").EmptyTuple().NewObj().EmptyTuple().Reduce().Stop();
        HandMadeCheckpoint.Write(path, pickle.ToArray());

        Assert.Equal($"{Start} '{path}': its pickle calls an object of class 'pathlib.PosixPath', which is not a Python function or class. {CopyAgain}",
            Refused(path, SleapErrorKind.InvalidData).Message);
    }
}
