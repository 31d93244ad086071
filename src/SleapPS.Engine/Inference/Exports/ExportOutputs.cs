namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// What one run of a sleap-nn export returned (docs/design/sleap-nn-exports.md §1): each output by name, float32 or
/// bool, row-major, with its shape. Owned by the <see cref="ExportRunner"/> that filled it and overwritten by its next run.
/// </summary>
public sealed class ExportOutputs
{
    private readonly Dictionary<string, ExportTensor> _tensors = new(StringComparer.Ordinal);
    private readonly string _modelPath;

    internal ExportOutputs(string modelPath) => _modelPath = modelPath;

    /// <summary>Frames in the run.</summary>
    public int Batch { get; internal set; }

    internal void Set(ExportTensor tensor) => _tensors[tensor.Name] = tensor;

    /// <summary>A float32 output's values.</summary>
    public ReadOnlySpan<float> Floats(string name)
    {
        var tensor = Get(name);
        return tensor.Floats.AsSpan(0, tensor.Length);
    }

    /// <summary>A bool output's values.</summary>
    public ReadOnlySpan<bool> Bools(string name)
    {
        var tensor = Get(name);
        return tensor.Bools.AsSpan(0, tensor.Length);
    }

    /// <summary>An output's shape, outermost axis first.</summary>
    public IReadOnlyList<long> Shape(string name) => Get(name).Shape;

    /// <summary>An output's size along one axis.</summary>
    public int Dimension(string name, int axis) => (int)Get(name).Shape[axis];

    internal ExportTensor Get(string name) => _tensors.TryGetValue(name, out var tensor)
        ? tensor
        : throw new SleapException(SleapErrorKind.InvalidData, $"The sleap-nn export '{_modelPath}' returned no output '{name}'.", _modelPath);
}

/// <summary>One output of an export run: reusable buffers (one of them used, by element type) and the run's shape.</summary>
internal sealed class ExportTensor(string name, bool isMask)
{
    public string Name { get; } = name;

    /// <summary>True for bool outputs (masks), which live in <see cref="Bools"/>; float32 outputs live in <see cref="Floats"/>.</summary>
    public bool IsMask { get; } = isMask;

    public float[] Floats = [];
    public bool[] Bools = [];
    public long[] Shape = [];

    /// <summary>Elements in the run's shape.</summary>
    public int Length;
}
