using System.Numerics;

namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// What REDUCE, NEWOBJ and BUILD mean for the allowed names (docs/design/sleap-nn-checkpoint.md §3). Nothing is
/// called: an OrderedDict becomes a <see cref="PickleDict"/>, a tensor rebuild a <see cref="TensorRecipe"/>, a data
/// class an <see cref="OpaqueObject"/>. A call of anything else (a placeholder, a string, ...) is refused.
/// </summary>
internal static class PickleCalls
{
    // torch has no tensor of more dimensions than this; a longer size tuple is damage, not a model.
    private const int MaxTensorRank = 64;

    public static object Reduce(object? callable, object?[] args, string path)
    {
        if (callable is not PickleGlobal global)
            throw CheckpointErrors.Invalid(path, $"its pickle calls {Describe(callable)}, which is not a Python function or class");
        switch (global.Role)
        {
            case GlobalRole.OrderedDict:
                return NewOrderedDict(args, path);
            case GlobalRole.RebuildTensor:
                return RebuildTensor(args, path);
            case GlobalRole.RebuildParameter:
                // (data, requires_grad, backward_hooks[, state]): the tensor is all a state dict needs.
                return args.Length >= 1 && args[0] is TensorRecipe tensor
                    ? tensor
                    : throw Bad(path, $"{global.FullName} is not given a tensor");
            case GlobalRole.RebuildFromType:
                // (rebuild function, tensor type, its arguments, python state): apply the inner rebuild.
                if (args.Length != 4 || args[0] is not PickleGlobal inner || inner.Role is not (GlobalRole.RebuildTensor or GlobalRole.RebuildParameter)
                    || args[2] is not object?[] innerArgs)
                    throw Bad(path, $"{global.FullName} is not given a tensor rebuild");
                return Reduce(inner, innerArgs, path);
            case GlobalRole.GetItem:
                // typing.Dict[str, Any] and the like: only a placeholder (or a type) may be subscripted.
                if (args.Length == 2 && args[0] is PickleGlobal { Role: GlobalRole.DataClass } or OpaqueObject)
                    return new OpaqueObject($"{Describe(args[0])}[...]");
                throw Bad(path, $"operator.getitem is applied to {(args.Length > 0 ? Describe(args[0]) : "nothing")}");
            case GlobalRole.DataClass:
                return new OpaqueObject(global.FullName);
            default: // a storage class called outside a persistent id
                throw Bad(path, $"{global.FullName} is called outside a storage reference");
        }
    }

    public static object New(object? cls, object?[] args, string path) => cls switch
    {
        PickleGlobal { Role: GlobalRole.OrderedDict } => NewOrderedDict(args, path),
        PickleGlobal { Role: GlobalRole.DataClass } global => new OpaqueObject(global.FullName),
        _ => throw CheckpointErrors.Invalid(path, $"its pickle creates an instance of {Describe(cls)}, which is not a data class"),
    };

    /// <summary>BUILD sets an object's state: kept nowhere, as neither placeholders nor a dict's attributes matter.</summary>
    public static void Build(object? target, object? state, string path)
    {
        // OrderedDict carries attributes (a state dict's _metadata) in BUILD; placeholders keep nothing.
        if (target is PickleDict or OpaqueObject)
            return;
        // A tensor's Python attributes (torch >= 2 may BUILD an empty state onto a rebuilt tensor).
        if (target is TensorRecipe)
            return;
        throw Bad(path, $"it sets the state of {Describe(target)}");
    }

    /// <summary>A short description of a value for error messages: a class name, never the value's contents.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => $"'{g.FullName}'",
        OpaqueObject o => $"an object of class '{o.ClassName}'",
        TensorRecipe => "a tensor",
        string => "a string",
        long or BigInteger => "an int",
        double => "a float",
        bool => "a bool",
        byte[] => "bytes",
        object?[] => "a tuple",
        PickleList => "a list",
        PickleSet => "a set",
        PickleDict => "a dict",
        StorageRef => "a storage",
        _ => value.GetType().Name,
    };

    private static PickleDict NewOrderedDict(object?[] args, string path)
    {
        var dict = new PickleDict();
        if (args.Length == 0)
            return dict;
        // OrderedDict([(key, value), ...]).
        if (args.Length == 1 && args[0] is PickleList pairs)
        {
            foreach (var pair in pairs)
                if (pair is object?[] { Length: 2 } kv)
                    dict.Set(kv[0], kv[1]);
                else
                    throw Bad(path, "an OrderedDict is given something other than (key, value) pairs");
            return dict;
        }
        throw Bad(path, "an OrderedDict is given arguments other than a list of pairs");
    }

    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).
    private static TensorRecipe RebuildTensor(object?[] args, string path)
    {
        if (args.Length is < 6 or > 7 || args[0] is not StorageRef storage || args[1] is not long offset
            || args[2] is not object?[] sizeTuple || args[3] is not object?[] strideTuple)
            throw Bad(path, "a tensor is rebuilt from arguments other than (storage, offset, size, stride, ...)");
        if (sizeTuple.Length != strideTuple.Length || sizeTuple.Length > MaxTensorRank)
            throw Bad(path, $"a tensor has {sizeTuple.Length} sizes and {strideTuple.Length} strides");
        var size = new long[sizeTuple.Length];
        var stride = new long[strideTuple.Length];
        for (int i = 0; i < size.Length; i++)
        {
            if (sizeTuple[i] is not long s || s < 0 || strideTuple[i] is not long t || t < 0)
                throw Bad(path, $"a tensor has the size ({Join(sizeTuple)}) and strides ({Join(strideTuple)}), which are not counts");
            size[i] = s;
            stride[i] = t;
        }
        var recipe = new TensorRecipe(storage, offset, size, stride);
        TensorExtent.Check(recipe, path);
        return recipe;
    }

    private static string Join(object?[] items) => string.Join(", ", items.Select(i => i?.ToString() ?? "None"));

    private static SleapException Bad(string path, string what) => CheckpointErrors.Invalid(path, $"its pickle is malformed: {what}");
}
