namespace SleapPS.Engine.Inference.Runs.Batch;

/// <summary>What a <see cref="BatchPrediction"/> reports while it runs, on the thread that enumerates its results.</summary>
public sealed class BatchEvents
{
    public Action<BatchProgress>? Progress { get; init; }

    /// <summary>A video is done (whatever its status), before its result is handed over.</summary>
    public Action<BatchVideoResult>? VideoDone { get; init; }

    public Action<string>? Warning { get; init; }

    public Action<string>? Verbose { get; init; }
}
