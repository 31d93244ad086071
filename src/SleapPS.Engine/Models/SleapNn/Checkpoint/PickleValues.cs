namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

// The .NET values the restricted unpickler builds (docs/design/sleap-nn-checkpoint.md §3). Python's None, bool, int,
// float, str and bytes become null, bool, long (or BigInteger), double, string and byte[]; a tuple becomes object?[].
// Nothing here can run code: these are plain records of what the pickle said.

/// <summary>A Python list.</summary>
internal sealed class PickleList : List<object?>
{
}

/// <summary>A Python set or frozenset (its items are kept, never hashed by Python's rules).</summary>
internal sealed class PickleSet : List<object?>
{
}

/// <summary>
/// A Python dict or OrderedDict, in insertion order. Keys compare as .NET values (strings and numbers by value,
/// anything else by reference), which is all a state dict and Lightning's top-level dict need.
/// </summary>
internal sealed class PickleDict
{
    private static readonly object NoneKey = new();
    private readonly List<KeyValuePair<object?, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    public int Count => _items.Count;

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;

    public void Set(object? key, object? value)
    {
        if (_index.TryGetValue(key ?? NoneKey, out int at))
            _items[at] = new(key, value);
        else
        {
            _index.Add(key ?? NoneKey, _items.Count);
            _items.Add(new(key, value));
        }
    }

    public bool TryGet(string key, out object? value)
    {
        if (_index.TryGetValue(key, out int at))
        {
            value = _items[at].Value;
            return true;
        }
        value = null;
        return false;
    }
}

/// <summary>
/// What a harmless data class (omegaconf's config nodes, typing annotations, ...) would have built: only its class
/// name is kept. The class is never constructed and nothing is called (docs/design/sleap-nn-checkpoint.md §3.2).
/// </summary>
internal sealed class OpaqueObject(string className)
{
    public string ClassName { get; } = className;

    public override string ToString() => ClassName;
}

/// <summary>A tensor storage named by a persistent id: its zip entry, element type and declared element count.</summary>
internal sealed record StorageRef(string Key, string EntryName, TorchStorageType Type, long ElementCount);

/// <summary>
/// A tensor as <c>torch._utils._rebuild_tensor_v2</c> describes it: a view of a storage. Its extent is checked
/// against the storage when it is made; the values are read only when the tensor is in the state dict.
/// </summary>
internal sealed record TensorRecipe(StorageRef Storage, long StorageOffset, long[] Size, long[] Stride)
{
    public long ElementCount => Size.Aggregate(1L, (n, s) => n * s);
}
