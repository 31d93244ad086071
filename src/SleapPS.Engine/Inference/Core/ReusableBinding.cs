using Microsoft.ML.OnnxRuntime;
using SleapPS.Engine.Models.Runtime;

namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// A runner's IO binding for one input shape: the input and one tensor per output pinned over the runner's reusable
/// arrays, so that every run of that shape writes its outputs in place (no copy, no allocation a run). The runner binds
/// after the first run of a shape, when the output shapes are known, and unbinds when the shape changes.
/// </summary>
internal sealed class ReusableBinding : IDisposable
{
    private readonly ModelSession _session;
    private readonly OrtIoBinding _binding;
    private readonly OrtValue?[] _outputs;

    public ReusableBinding(ModelSession session)
    {
        _session = session;
        _binding = session.CreateIoBinding();
        _outputs = new OrtValue?[session.OutputNames.Count];
    }

    /// <summary>Whether the binding holds the current input shape and its outputs.</summary>
    public bool IsBound { get; private set; }

    /// <summary>Binds <paramref name="input"/> and, for output i, the tensor <paramref name="output"/>(i) over its array (owned here from now on).</summary>
    public void Bind(OrtValue input, Func<int, OrtValue> output)
    {
        _binding.BindInput(_session.InputNames[0], input);
        var names = _session.OutputNames;
        for (int i = 0; i < _outputs.Length; i++)
        {
            _outputs[i] = output(i);
            _binding.BindOutput(names[i], _outputs[i]!);
        }
        IsBound = true;
    }

    /// <summary>Runs the session on the bound input, writing into the bound outputs.</summary>
    public void Run() => _session.RunWithBinding(_binding);

    /// <summary>Forgets the binding (the input shape changes, or the runner is disposed) and releases the output tensors' pins.</summary>
    public void Unbind()
    {
        if (!IsBound) return;
        _binding.ClearBoundInputs();
        _binding.ClearBoundOutputs();
        for (int i = 0; i < _outputs.Length; i++)
        {
            _outputs[i]?.Dispose();
            _outputs[i] = null;
        }
        IsBound = false;
    }

    public void Dispose()
    {
        Unbind();
        _binding.Dispose();
    }
}
