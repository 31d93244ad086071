using SleapPS.Engine.Data;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>How a <see cref="PredictionPipeline"/> runs. Callbacks run on the thread that enumerates the results.</summary>
public sealed class PredictionPipelineOptions
{
    /// <summary>Frames per batch (a batch also ends where the frame size changes).</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>What the predictor returns besides instances (raw arrays, maps).</summary>
    public PredictionOptions Prediction { get; init; } = PredictionOptions.Default;

    /// <summary>
    /// Batches each channel between two stages holds. Memory is bounded by about
    /// (2 x this + 2) batches of frames and predictions, whatever the video length.
    /// </summary>
    public int QueuedBatches { get; init; } = 2;

    /// <summary>Called after each batch with the run's progress.</summary>
    public Action<PredictionProgress>? Progress { get; init; }

    /// <summary>Called when a video cannot be read; the run goes on with the next one. Unset: the failure is thrown.</summary>
    public Action<VideoFailure>? VideoFailed { get; init; }

    /// <summary>Frames not to predict (already done by an earlier, interrupted run); they are not even decoded.</summary>
    public Func<Video, long, bool>? Skip { get; init; }
}
