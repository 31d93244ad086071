using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// Runs one <see cref="SleapModel"/> on NHWC float batches (the network input after docs/design/inference.md §3.3), reusing its
/// buffers: the input lives in a pooled float array pinned under an OrtValue that is re-created only when the batch shape
/// changes. The first run of a batch shape lets ONNX Runtime allocate the outputs and copies them into reusable arrays;
/// it also learns the output shapes, and binds the input and those arrays to the session (an IO binding), so that the
/// next runs of that shape write the outputs in place: no copy and no allocation a run, managed or native. Not
/// thread-safe: one run at a time; the <see cref="ModelOutputs"/> it returns stay valid until the next run.
/// </summary>
/// <remarks>
/// A graph with a byte-input front (docs/design/gpu.md §3) takes uint8 NHWC batches instead (<see cref="TakesBytes"/>):
/// fill them through <see cref="PrepareBatch"/>, which writes whichever the graph takes.
/// </remarks>
public sealed class ModelRunner : IDisposable
{
    private readonly SleapModel _model;
    private readonly PredictorStageTimes? _stageTimes;
    private readonly ModelOutputs _outputs;
    private readonly float[][] _outputBuffers;
    private readonly PooledInput<float>? _floatInput;
    private readonly PooledInput<byte>? _byteInput;
    private readonly ReusableBinding _binding;
    private readonly long[][] _outputShapes;
    private bool _disposed;

    /// <param name="model">The model to run.</param>
    /// <param name="stageTimes">Where the time of each run is added (a predictor's <see cref="PosePredictor.StageTimes"/>); null to time nothing.</param>
    public ModelRunner(SleapModel model, PredictorStageTimes? stageTimes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _stageTimes = stageTimes;
        _outputs = new ModelOutputs(model.Session.OutputNames, model.OnnxPath);
        _outputBuffers = new float[model.Session.OutputNames.Count][];
        Array.Fill(_outputBuffers, []);
        _outputShapes = new long[_outputBuffers.Length][];
        _binding = new ReusableBinding(model.Session);
        TakesBytes = model.Session.Inputs[0].ElementType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.UInt8;
        if (TakesBytes)
            _byteInput = new PooledInput<byte>(model.Session.PinnedHostAllocator);
        else
            _floatInput = new PooledInput<float>(model.Session.PinnedHostAllocator);
    }

    public SleapModel Model => _model;

    /// <summary>Whether the graph has a byte-input front: it takes uint8 pixels and scales them itself (docs/design/gpu.md §3).</summary>
    public bool TakesBytes { get; }

    private OrtValue? InputValue => TakesBytes ? _byteInput!.Value : _floatInput!.Value;

    /// <summary>
    /// The pooled input of a batch of this network-input shape, as the graph takes it (floats, or bytes for a byte front),
    /// for the pre-processing to write each image into (<see cref="NetworkBatch.Write"/>) before <see cref="Run()"/>.
    /// </summary>
    public NetworkBatch PrepareBatch(int batch, int height, int width, int channels)
    {
        if (!TakesBytes)
            return new NetworkBatch(PrepareInput(batch, height, width, channels), height, width, channels);
        CheckChannels(channels);
        int length = PooledInput<byte>.Length(batch, height, width, channels);
        if (!_byteInput!.Holds(batch, height, width, channels))
        {
            _binding.Unbind();
            _byteInput.Reshape(batch, height, width, channels, length);
        }
        return new NetworkBatch(_byteInput.Span, height, width, channels);
    }

    private void CheckChannels(int channels)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int expectedChannels = _model.InputShape.Channels;
        if (channels != expectedChannels)
            throw new ArgumentException($"The model '{_model.SourcePath}' takes {expectedChannels}-channel input; the batch has {channels}.", nameof(channels));
    }

    /// <summary>
    /// The pooled input buffer for a batch of this shape (exactly batch * height * width * channels floats), to fill in
    /// place before <see cref="Run()"/>. Its content is whatever was there before: write every element.
    /// </summary>
    public Span<float> PrepareInput(int batch, int height, int width, int channels)
    {
        CheckChannels(channels);
        if (TakesBytes)
            throw new InvalidOperationException($"The graph of '{_model.SourcePath}' takes uint8 input (a byte front); use PrepareBatch.");
        int length = PooledInput<float>.Length(batch, height, width, channels);
        if (!_floatInput!.Holds(batch, height, width, channels))
        {
            _binding.Unbind();
            _floatInput.Reshape(batch, height, width, channels, length);
        }
        return _floatInput.Span;
    }

    /// <summary>Copies an NHWC batch into the pooled input and runs the model.</summary>
    public ModelOutputs Run(ReadOnlySpan<float> batchNhwc, int batch, int height, int width, int channels)
    {
        var input = PrepareInput(batch, height, width, channels);
        if (batchNhwc.Length != input.Length)
            throw new ArgumentException($"A {batch}x{height}x{width}x{channels} batch has {input.Length} floats; got {batchNhwc.Length}.", nameof(batchNhwc));
        batchNhwc.CopyTo(input);
        return Run();
    }

    /// <summary>Runs the model on the batch last written through <see cref="PrepareInput"/>.</summary>
    public ModelOutputs Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var input = InputValue;
        if (input is null)
            throw new InvalidOperationException("Call PrepareInput or PrepareBatch (and fill the buffer) before Run().");
        long start = Stopwatch.GetTimestamp();
        if (_binding.IsBound)
        {
            _binding.Run();
        }
        else
        {
            using (var results = _model.Session.Run(input))
            {
                for (int i = 0; i < results.Count; i++)
                    _outputs.Set(i, CopyOut(i, results[i]));
            }
            Bind();
        }
        _outputs.Batch = (int)(TakesBytes ? _byteInput!.Dimension(0) : _floatInput!.Dimension(0));
        _stageTimes?.AddModelRun(start);
        return _outputs;
    }

    /// <summary>
    /// Binds the input and, for each output, its reusable array under the shape the run just gave (the views in
    /// <see cref="_outputs"/> already describe it), so that the next runs of this input shape write there.
    /// </summary>
    private void Bind() => _binding.Bind(InputValue!, i =>
    {
        var shape = _outputShapes[i];
        int length = (int)shape.Aggregate(1L, (product, dimension) => product * dimension);
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _outputBuffers[i].AsMemory(0, length), shape);
    });

    private MapView CopyOut(int index, OrtValue value)
    {
        var shape = value.GetTensorTypeAndShape().Shape;
        _outputShapes[index] = shape;
        var data = value.GetTensorDataAsSpan<float>();
        ref var buffer = ref _outputBuffers[index];
        if (buffer.Length < data.Length)
            buffer = new float[data.Length];
        data.CopyTo(buffer);
        return shape.Length switch
        {
            4 => new MapView(buffer, 0, (int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]),
            // Dense heads (class vectors): [N, classes] as N x 1 x 1 x classes.
            2 => new MapView(buffer, 0, (int)shape[0], 1, 1, (int)shape[1]),
            _ => throw new SleapException(SleapErrorKind.InvalidData,
                $"Output '{_outputs.OutputNames[index]}' of '{_model.OnnxPath}' has shape [{string.Join(", ", shape)}]; SLEAP heads are [N, H, W, C] or [N, classes].",
                _model.OnnxPath),
        };
    }

    /// <summary>Releases the pinned input (the model itself is not disposed: it belongs to its <see cref="Models.Predictor"/>).</summary>
    public void Dispose()
    {
        _disposed = true;
        _binding.Dispose();
        _floatInput?.Dispose();
        _byteInput?.Dispose();
    }
}
