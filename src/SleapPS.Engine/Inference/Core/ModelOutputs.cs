using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// The outputs of one <see cref="ModelRunner"/> run, one NHWC <see cref="MapView"/> per graph output, copied out of ONNX
/// Runtime into the runner's buffers: valid until the runner's next run. A head is found SLEAP's way (find_head): the
/// first output whose name contains the head's class name (<see cref="HeadConfig.KerasNameOf"/>), so
/// <c>CentroidConfmapsHead_0</c> answers for <see cref="HeadKind.CentroidConfmaps"/>. Class vectors
/// (<c>[N, classes]</c>) are views with Height = Width = 1.
/// </summary>
public sealed class ModelOutputs
{
    private readonly string _onnxPath;
    private readonly int[] _outputOfHead;
    private readonly MapView[] _views;

    internal ModelOutputs(IReadOnlyList<string> outputNames, string onnxPath)
    {
        _onnxPath = onnxPath;
        OutputNames = outputNames;
        _views = new MapView[outputNames.Count];
        var kinds = Enum.GetValues<HeadKind>();
        _outputOfHead = new int[kinds.Length];
        foreach (var kind in kinds)
        {
            string name = HeadConfig.KerasNameOf(kind);
            _outputOfHead[(int)kind] = Enumerable.Range(0, outputNames.Count)
                .FirstOrDefault(i => outputNames[i].Contains(name, StringComparison.Ordinal), -1);
        }
    }

    /// <summary>The graph's output names, in output order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Samples in the batch that was run.</summary>
    public int Batch { get; internal set; }

    /// <summary>True when the model has an output for the head.</summary>
    public bool Has(HeadKind kind) => _outputOfHead[(int)kind] >= 0;

    /// <summary>The output of a head; InvalidData naming the ONNX file when the model has none.</summary>
    public MapView Get(HeadKind kind) => TryGet(kind) ?? throw new SleapException(SleapErrorKind.InvalidData,
        $"The model '{_onnxPath}' has no output named like {HeadConfig.KerasNameOf(kind)} (its outputs: {string.Join(", ", OutputNames)}). " +
        "Use a model whose training config has that head.", _onnxPath);

    /// <summary>The output of a head, or null when the model has none.</summary>
    public MapView? TryGet(HeadKind kind)
    {
        int index = _outputOfHead[(int)kind];
        return index >= 0 ? _views[index] : null;
    }

    /// <summary>Output <paramref name="index"/>, in <see cref="OutputNames"/> order.</summary>
    public MapView this[int index] => _views[index];

    internal void Set(int index, MapView view) => _views[index] = view;
}
