using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Runtime;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// Runs a sleap-nn export on uint8 NCHW batches (docs/design/sleap-nn-exports.md §1), reusing its buffers as
/// <see cref="Core.ModelRunner"/> does for SleapPS's own graphs: the input lives in a byte array pinned under an
/// OrtValue re-created only when the batch shape changes; the first run of a shape copies the outputs (float32 and bool)
/// into reusable arrays and binds them, so that later runs of that shape write in place. Not thread-safe.
/// </summary>
public sealed class ExportRunner : IDisposable
{
    private readonly SleapModel _model;
    private readonly PredictorStageTimes? _stageTimes;
    private readonly ExportOutputs _outputs;
    private readonly ExportTensor[] _tensors;
    private readonly ReusableBinding _binding;
    private readonly PooledInput<byte> _input;
    private bool _disposed;

    public ExportRunner(SleapModel model, PredictorStageTimes? stageTimes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _stageTimes = stageTimes;
        _outputs = new ExportOutputs(model.OnnxPath);
        var names = model.Session.OutputNames;
        _tensors = names.Select(n => new ExportTensor(n, model.Session.Outputs.First(o => o.Name == n).ElementType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Bool)).ToArray();
        foreach (var tensor in _tensors)
            _outputs.Set(tensor);
        _binding = new ReusableBinding(model.Session);
        _input = new PooledInput<byte>(model.Session.PinnedHostAllocator);
    }

    /// <summary>The pooled input for a batch of this shape (batch × channels × height × width bytes, NCHW), to fill in place before <see cref="Run"/>.</summary>
    public Span<byte> PrepareInput(int batch, int channels, int height, int width)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int length = PooledInput<byte>.Length(batch, height, width, channels);
        if (!_input.Holds(batch, channels, height, width))
        {
            _binding.Unbind();
            _input.Reshape(batch, channels, height, width, length);
        }
        return _input.Span;
    }

    /// <summary>Runs the export on the batch last written through <see cref="PrepareInput"/>.</summary>
    /// <exception cref="SleapException">InvalidArgument when the graph cannot run on frames of this size.</exception>
    public ExportOutputs Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_input.Value is null)
            throw new InvalidOperationException("Call PrepareInput (and fill the buffer) before Run().");
        long start = Stopwatch.GetTimestamp();
        try
        {
            if (_binding.IsBound)
            {
                _binding.Run();
            }
            else
            {
                using (var results = _model.Session.Run(_input.Value))
                    for (int i = 0; i < results.Count; i++)
                        CopyOut(_tensors[i], results[i]);
                Bind();
            }
        }
        catch (OnnxRuntimeException ex)
        {
            var traced = _model.InputShape;
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The sleap-nn export '{_model.OnnxPath}' cannot run on {_input.Dimension(2)}x{_input.Dimension(3)} frames: {ex.Message} " +
                $"Like sleap-nn, SleapPS gives an export each frame at its own size; this one was traced at {traced.Height}x{traced.Width} " +
                $"and takes frames whose height and width are multiples of its max stride ({traced.MaxStride}). " +
                "Export the model again at your videos' size (sleap-nn export --input-height H --input-width W).", _model.OnnxPath, ex);
        }
        _outputs.Batch = (int)_input.Dimension(0);
        _stageTimes?.AddModelRun(start);
        return _outputs;
    }

    private static void CopyOut(ExportTensor tensor, OrtValue value)
    {
        tensor.Shape = value.GetTensorTypeAndShape().Shape;
        tensor.Length = (int)tensor.Shape.Aggregate(1L, (product, dimension) => product * dimension);
        if (tensor.IsMask)
        {
            if (tensor.Bools.Length < tensor.Length)
                tensor.Bools = new bool[tensor.Length];
            value.GetTensorDataAsSpan<bool>().CopyTo(tensor.Bools);
        }
        else
        {
            if (tensor.Floats.Length < tensor.Length)
                tensor.Floats = new float[tensor.Length];
            value.GetTensorDataAsSpan<float>().CopyTo(tensor.Floats);
        }
    }

    /// <summary>Binds the input and each output's array under the shape the first run gave, so that the next runs of this shape write there.</summary>
    private void Bind() => _binding.Bind(_input.Value!, i =>
    {
        var tensor = _tensors[i];
        return tensor.IsMask
            ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor.Bools.AsMemory(0, tensor.Length), tensor.Shape)
            : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor.Floats.AsMemory(0, tensor.Length), tensor.Shape);
    });

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _binding.Dispose();
        _input.Dispose();
    }
}
