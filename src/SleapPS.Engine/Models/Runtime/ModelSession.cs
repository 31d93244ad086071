using Microsoft.ML.OnnxRuntime;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// One ONNX Runtime session on one device: all graph optimizations, one intra-op thread per
/// processor, one inter-op thread (SLEAP graphs are a single chain of operators), and intra-op
/// threads that block rather than spin when out of work.
/// </summary>
/// <remarks>
/// Spinning threads keep their cores busy between operators and after a run. The prediction pipeline
/// decodes, preprocesses and post-processes on other threads at the same time, and a top-down predictor
/// alternates two sessions whose idle pools spun against each other: on 2 cores, blocking threads made
/// top-down 1.6x faster end to end and used 40% less CPU a frame, for 1-8% on a model run alone.
/// </remarks>
public sealed class ModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    // Kept as arrays: a run takes its names as arrays, and copying them for each run allocated per frame.
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly Lazy<OrtAllocator?> _pinnedHostAllocator;

    private ModelSession(InferenceSession session, ExecutionDevice device, int intraOpThreads, string onnxPath)
    {
        _session = session;
        Device = device;
        IntraOpThreads = intraOpThreads;
        OnnxPath = onnxPath;
        Inputs = session.InputMetadata.Select(Describe).ToArray();
        Outputs = session.OutputMetadata.Select(Describe).ToArray();
        _inputNames = Inputs.Select(i => i.Name).ToArray();
        _outputNames = Outputs.Select(o => o.Name).ToArray();
        CustomMetadata = session.ModelMetadata.CustomMetadataMap;
        _pinnedHostAllocator = new Lazy<OrtAllocator?>(CreatePinnedHostAllocator);
    }

    /// <summary>
    /// Opens an ONNX file on a device. A GPU device fails with NotSupported (saying what to install) when it
    /// cannot be used; Auto then uses the CPU and says so through <paramref name="log"/> (<see cref="DeviceSelection"/>).
    /// A file that is not a valid ONNX model fails with InvalidData naming it.
    /// </summary>
    /// <param name="cacheFolder">The model cache folder (null: the default), where TensorRT keeps its engines.</param>
    public static ModelSession Open(string onnxPath, ExecutionDevice device, Action<string>? log = null,
        ModelPrecision precision = ModelPrecision.Float32, string? cacheFolder = null)
    {
        device = DeviceSelection.Resolve(device, log);
        int threads = Environment.ProcessorCount;
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (!File.Exists(onnxPath))
            throw new SleapException(SleapErrorKind.NotFound, $"The ONNX model '{onnxPath}' does not exist.", onnxPath);
        if (device.IsGpu)
            GpuProviders.Append(options, device, precision, onnxPath, new ModelCache(cacheFolder));

        try
        {
            return new ModelSession(new InferenceSession(onnxPath, options), device, threads, onnxPath);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"ONNX Runtime cannot load '{onnxPath}': {ex.Message} The file is not a valid ONNX model (or uses operators this ONNX Runtime lacks).",
                onnxPath, ex);
        }
    }

    /// <summary>The device the session runs on: Cpu, Cuda(:N) or TensorRT(:N), never Auto.</summary>
    public ExecutionDevice Device { get; }

    public int IntraOpThreads { get; }

    /// <summary>The ONNX file the session was created from.</summary>
    public string OnnxPath { get; }

    public IReadOnlyList<TensorDescription> Inputs { get; }

    public IReadOnlyList<TensorDescription> Outputs { get; }

    public IReadOnlyList<string> InputNames => _inputNames;

    /// <summary>Output names in graph order; <see cref="Run(IReadOnlyDictionary{string, OrtValue})"/> returns values in this order.</summary>
    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>The model's metadata_props (sleap-nn puts its export metadata there).</summary>
    public IReadOnlyDictionary<string, string> CustomMetadata { get; }

    /// <summary>Runs the graph on ready tensors (one per input name); returns every output, in <see cref="OutputNames"/> order.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(IReadOnlyDictionary<string, OrtValue> inputs) =>
        _session.Run(_runOptions, inputs, _outputNames);

    /// <summary>Runs a single-input graph.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(OrtValue input)
    {
        if (InputNames.Count != 1)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"'{OnnxPath}' has {InputNames.Count} inputs ({string.Join(", ", InputNames)}); pass one tensor per input name.", OnnxPath);
        return _session.Run(_runOptions, _inputNames, [input], _outputNames);
    }

    /// <summary>A binding of inputs and outputs to tensors that stay in place across runs (<see cref="RunWithBinding"/>).</summary>
    public OrtIoBinding CreateIoBinding() => _session.CreateIoBinding();

    /// <summary>
    /// Runs the graph on the bound inputs into the bound outputs: nothing is allocated, in managed code or for the
    /// outputs, when they are bound to tensors of the right shape.
    /// </summary>
    public void RunWithBinding(OrtIoBinding binding) => _session.RunWithBinding(_runOptions, binding);

    /// <summary>
    /// On a GPU, the CUDA provider's allocator of page-locked host memory, for input tensors the provider uploads in one
    /// DMA transfer (docs/design/gpu.md §3); null on the CPU, or where the provider offers none (then inputs stay in
    /// pooled managed arrays, which the provider also uploads, through the driver's staging copy).
    /// </summary>
    public OrtAllocator? PinnedHostAllocator => _pinnedHostAllocator.Value;

    private OrtAllocator? CreatePinnedHostAllocator()
    {
        if (!Device.IsGpu) return null;
        try
        {
            // ONNX Runtime registers the CUDA provider's pinned allocator as device 0 whatever the GPU: the memory is the host's.
            using var pinned = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.CpuOutput);
            return new OrtAllocator(_session, pinned);
        }
        catch (OnnxRuntimeException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_pinnedHostAllocator.IsValueCreated) _pinnedHostAllocator.Value?.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
    }

    private static TensorDescription Describe(KeyValuePair<string, NodeMetadata> entry)
    {
        var meta = entry.Value;
        return new TensorDescription(entry.Key, meta.ElementDataType,
            meta.Dimensions.Select(d => (long)d).ToArray(),
            meta.SymbolicDimensions.Select(s => s ?? "").ToArray());
    }
}
