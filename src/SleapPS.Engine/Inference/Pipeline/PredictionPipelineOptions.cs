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

    /// <summary>
    /// Threads FFmpeg decodes each movie file with; null for FFmpeg's choice (one per core). The default is one thread on
    /// machines with two cores or fewer: the models' threads keep both cores busy there, and FFmpeg's extra frame threads
    /// only added hand-offs (measured on 2 cores: 1024x1024 top-down multi-class 6% more frames/s, 5% less CPU a frame
    /// with one thread). On more cores, extra decoder threads can use what the models leave idle.
    /// </summary>
    public int? DecoderThreads { get; init; } = Environment.ProcessorCount <= 2 ? 1 : null;

    /// <summary>Called after each batch with the run's progress.</summary>
    public Action<PredictionProgress>? Progress { get; init; }

    /// <summary>Called when a video cannot be read; the run goes on with the next one. Unset: the failure is thrown.</summary>
    public Action<VideoFailure>? VideoFailed { get; init; }

    /// <summary>
    /// sleap-nn's instance filters, run on the predictor thread on each frame's instances as soon as its batch is
    /// predicted, so that everything downstream (tracking, writing) sees only the instances kept
    /// (docs/design/labels-operations.md §7). Null: no filtering. The raw arrays (<see cref="FramePrediction.Raw"/>) are not filtered.
    /// </summary>
    public Filtering.InstanceFilter? Filter { get; init; }

    /// <summary>Frames not to predict (already done by an earlier, interrupted run); they are not even decoded.</summary>
    public Func<Video, long, bool>? Skip { get; init; }
}
