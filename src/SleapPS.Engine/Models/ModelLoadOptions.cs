namespace SleapPS.Engine.Models;

/// <summary>How models are loaded: the device, the conversion cache, and where to report what happens.</summary>
public sealed class ModelLoadOptions
{
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>The precision the graphs run in: Float16 runs a float16 conversion of each graph, cached beside the converted models (docs/design/gpu.md §5).</summary>
    public ModelPrecision Precision { get; init; } = ModelPrecision.Float32;

    /// <summary>
    /// Gives converted graphs a uint8 input front on the CPU too (docs/design/gpu.md §3). GPU devices always get it where
    /// the model's pre-processing allows; the CPU keeps the float input unless this is set (tests compare the two).
    /// </summary>
    public bool ForceByteInput { get; init; }

    /// <summary>The folder of converted models; null uses <see cref="Runtime.ModelCache.DefaultFolder"/>.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>Receives one line per notable step (device chosen, cache hit, conversion time), for a verbose log.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives progress while models load (conversion can take seconds).</summary>
    public Action<ModelLoadProgress>? Progress { get; init; }

    internal void Report(string message) => Log?.Invoke(message);

    /// <summary>These options for model <paramref name="index"/> of <paramref name="count"/>, on a device already resolved.</summary>
    internal ModelLoadOptions ForModel(ExecutionDevice device, int index, int count) => new()
    {
        Device = device,
        Precision = Precision,
        ForceByteInput = ForceByteInput,
        CacheFolder = CacheFolder,
        Log = Log,
        Progress = Progress is null ? null : p => Progress(p with { Index = index, Count = count }),
    };
}

/// <summary>One progress step: which model of how many, and what is being done to it.</summary>
/// <param name="Completed">True once the whole load is over (a host closes its progress bar).</param>
public sealed record ModelLoadProgress(string ModelPath, int Index, int Count, string Status, bool Completed = false)
{
    public int PercentComplete => Completed || Count == 0 ? 100 : 100 * Index / Count;
}
