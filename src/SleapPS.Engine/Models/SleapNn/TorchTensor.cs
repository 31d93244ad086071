namespace SleapPS.Engine.Models.SleapNn;

/// <summary>
/// One tensor of a sleap-nn checkpoint's state dict, rebuilt from its raw storage: a row-major (C-order) copy of
/// the values with the tensor's shape. Weights are float32; SwinT's relative_position_index buffers are int64.
/// </summary>
public sealed class TorchTensor
{
    public TorchTensor(string name, IReadOnlyList<long> shape, float[]? floats, long[]? int64s)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if ((floats is null) == (int64s is null))
            throw new ArgumentException("A tensor holds either float32 or int64 values.");
        Name = name;
        Shape = shape;
        Floats = floats;
        Int64s = int64s;
    }

    /// <summary>The state-dict key, e.g. <c>model.head_layers.0.CentroidConfmapsHead.0.weight</c>.</summary>
    public string Name { get; }

    public IReadOnlyList<long> Shape { get; }

    /// <summary>The values when the tensor is float32 (row-major); null otherwise.</summary>
    public float[]? Floats { get; }

    /// <summary>The values when the tensor is int64 (row-major); null otherwise.</summary>
    public long[]? Int64s { get; }

    public long ElementCount => Floats?.LongLength ?? Int64s!.LongLength;

    public override string ToString() => $"{Name} {(Floats is null ? "int64" : "float32")}[{string.Join(", ", Shape)}]";
}
