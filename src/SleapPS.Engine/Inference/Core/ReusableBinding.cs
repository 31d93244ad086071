using Microsoft.ML.OnnxRuntime;
using SleapPS.Engine.Models.Runtime;

namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// A runner's IO binding for one input shape: the input and one tensor per output pinned over the runner's reusable
/// arrays, so that every run of that shape writes its outputs in place (no copy, no allocation a run). The runner binds
/// after the first run of a shape, when the output shapes are known, and unbinds when the shape changes.
/// </summary>
/// <remarks>
/// On a GPU (docs/design/gpu.md §3) the input is the runner's page-locked host tensor, which the CUDA provider copies to
/// the device once a run, and the outputs are the runner's host arrays, which it copies back into; the copies run on the
/// compute stream, and the run waits for the upload before it starts and for the outputs before it returns, so the
/// host never reads an output, or overwrites the input, while a transfer is in flight.
/// </remarks>
internal sealed class ReusableBinding : IDisposable
{
    private readonly ModelSession _session;
    private readonly OrtIoBinding _binding;
    private readonly OrtValue?[] _outputs;
    private readonly bool _onGpu;

    public ReusableBinding(ModelSession session)
    {
        _session = session;
        _onGpu = session.Device.IsGpu;
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
    public void Run()
    {
        if (_onGpu) _binding.SynchronizeBoundInputs();
        _session.RunWithBinding(_binding);
        if (_onGpu) _binding.SynchronizeBoundOutputs();
    }

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
