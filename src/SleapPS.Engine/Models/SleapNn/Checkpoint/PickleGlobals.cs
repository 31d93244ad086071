namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>What the reader does with a Python name a pickle refers to (docs/design/sleap-nn-checkpoint.md §3).</summary>
internal enum GlobalRole
{
    /// <summary><c>collections.OrderedDict</c>: becomes a <see cref="PickleDict"/>.</summary>
    OrderedDict,
    /// <summary><c>torch._utils._rebuild_tensor_v2</c>: becomes a <see cref="TensorRecipe"/>.</summary>
    RebuildTensor,
    /// <summary><c>torch._utils._rebuild_parameter(_with_state)</c>: the tensor it wraps.</summary>
    RebuildParameter,
    /// <summary><c>torch._utils._rebuild_from_type_v2</c>: a tensor subclass; the tensor its inner rebuild gives.</summary>
    RebuildFromType,
    /// <summary><c>torch.FloatStorage</c> and friends: only ever named inside a storage's persistent id.</summary>
    StorageType,
    /// <summary><c>operator.getitem</c>, as in <c>typing.Dict[str, Any]</c>: allowed only on placeholders.</summary>
    GetItem,
    /// <summary>A harmless data class or type: calling it gives an <see cref="OpaqueObject"/>, never an instance.</summary>
    DataClass,
}

/// <summary>A Python name the allow-list accepted, in Python 3 spelling.</summary>
internal sealed record PickleGlobal(string Module, string Name, GlobalRole Role, TorchStorageType? Storage = null)
{
    public string FullName => Module + "." + Name;

    public override string ToString() => FullName;
}

/// <summary>
/// The allow-list of Python names a checkpoint may refer to (docs/design/sleap-nn-checkpoint.md §3). Every other
/// name is refused the moment the pickle names it, before anything could use it.
/// </summary>
internal static class PickleGlobals
{
    private static readonly Dictionary<string, GlobalRole> Known = new(StringComparer.Ordinal)
    {
        ["collections.OrderedDict"] = GlobalRole.OrderedDict,
        ["torch._utils._rebuild_tensor_v2"] = GlobalRole.RebuildTensor,
        ["torch._utils._rebuild_parameter"] = GlobalRole.RebuildParameter,
        ["torch._utils._rebuild_parameter_with_state"] = GlobalRole.RebuildParameter,
        ["torch._utils._rebuild_from_type_v2"] = GlobalRole.RebuildFromType,
        ["_operator.getitem"] = GlobalRole.GetItem,
        ["operator.getitem"] = GlobalRole.GetItem,
    };

    // §3.2: data classes and types that appear outside the state dict (Lightning's config and callback state). They
    // are placeholders: the reader never builds one, so the list only has to hold names that are plainly data.
    private static readonly HashSet<string> DataClasses = new(StringComparer.Ordinal)
    {
        "builtins.dict", "builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset", "builtins.int",
        "builtins.float", "builtins.complex", "builtins.str", "builtins.bytes", "builtins.bytearray", "builtins.bool",
        "builtins.object", "builtins.slice", "builtins.range",
        "collections.defaultdict", "collections.deque",
        "typing.Any", "typing.Dict", "typing.List", "typing.Tuple", "typing.Set", "typing.FrozenSet", "typing.Optional",
        "typing.Union", "typing.Sequence", "typing.Mapping", "typing.MutableMapping", "typing.MutableSequence",
        "typing.Type", "typing.Callable", "typing.Literal",
        "pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePath", "pathlib.PurePosixPath", "pathlib.PureWindowsPath",
        "omegaconf.DictConfig", "omegaconf.ListConfig",
        "omegaconf.dictconfig.DictConfig", "omegaconf.listconfig.ListConfig",
        "omegaconf.base.ContainerMetadata", "omegaconf.base.Metadata", "omegaconf.base.Node", "omegaconf.base.Container",
        "omegaconf.base.UnionNode",
        "omegaconf.nodes.AnyNode", "omegaconf.nodes.StringNode", "omegaconf.nodes.IntegerNode", "omegaconf.nodes.FloatNode",
        "omegaconf.nodes.BooleanNode", "omegaconf.nodes.EnumNode", "omegaconf.nodes.BytesNode", "omegaconf.nodes.PathNode",
        "omegaconf.nodes.ValueNode", "omegaconf.nodes.InterpolationResultNode",
        // numpy scalars and arrays in Lightning callback state (numpy pickles their bytes through _codecs.encode).
        "numpy.dtype", "numpy.ndarray", "numpy.core.multiarray._reconstruct", "numpy.core.multiarray.scalar",
        "numpy._core.multiarray._reconstruct", "numpy._core.multiarray.scalar", "_codecs.encode",
        // Tensor types named by _rebuild_from_type_v2.
        "torch.Tensor", "torch.nn.parameter.Parameter",
    };

    // sleap-nn's config classes (attrs records under sleap_nn.config) are named as omegaconf object types; the set
    // grows with sleap-nn's versions, so a class name (capitalised) anywhere under the package is accepted.
    private const string SleapNnConfigPackage = "sleap_nn.config.";

    /// <summary>
    /// The role of <paramref name="module"/>.<paramref name="name"/> as a pickle spells it (Python 2 names, which
    /// protocol 2 writes, are mapped to Python 3's). Throws InvalidData naming the name when it is not allowed.
    /// </summary>
    public static PickleGlobal Resolve(string module, string name, string path)
    {
        (module, name) = ToPython3(module, name);
        string fullName = module + "." + name;
        if (Known.TryGetValue(fullName, out var role))
            return new PickleGlobal(module, name, role);
        if (module == "torch" && TorchStorageType.Find(name) is { } storage)
            return new PickleGlobal(module, name, GlobalRole.StorageType, storage);
        if (module == "torch" && name.EndsWith("Storage", StringComparison.Ordinal) && name.All(char.IsAsciiLetterOrDigit))
            throw CheckpointErrors.Unsupported(path,
                $"it stores tensors as torch.{name}, an element type SleapPS does not read (it reads float32, float16, bfloat16, float64, integer and bool tensors). " +
                "Save the model's weights as float32");
        if (DataClasses.Contains(fullName) || IsSleapNnConfigClass(module, name))
            return new PickleGlobal(module, name, GlobalRole.DataClass);
        throw CheckpointErrors.ForbiddenName(path, fullName);
    }

    private static bool IsSleapNnConfigClass(string module, string name) =>
        (module + ".").StartsWith(SleapNnConfigPackage, StringComparison.Ordinal) && name.Length > 0 && char.IsAsciiLetterUpper(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    // The part of Python's _compat_pickle mapping that matters here.
    private static (string Module, string Name) ToPython3(string module, string name) => module switch
    {
        "__builtin__" or "exceptions" => ("builtins", name switch { "unicode" or "basestring" => "str", "long" => "int", "xrange" => "range", _ => name }),
        "copy_reg" => ("copyreg", name),
        _ => (module, name),
    };
}
