namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// Where a run's time went, per stage. Stages overlap, so the stage times add up to more than
/// <see cref="Elapsed"/> when the pipeline hides decoding behind prediction.
/// </summary>
public sealed class PipelineStatistics
{
    /// <summary>Frames decoded and predicted.</summary>
    public long Frames { get; internal set; }

    public long Batches { get; internal set; }

    /// <summary>Decode thread: opening videos and decoding frames.</summary>
    public TimeSpan DecodeTime { get; internal set; }

    /// <summary>Predictor thread: <see cref="PosePredictor.PredictBatch"/> (preprocessing, model and post-processing).</summary>
    public TimeSpan PredictTime { get; internal set; }

    /// <summary>Predictor thread: time spent waiting for decoded batches (decoding not hidden).</summary>
    public TimeSpan PredictorWaitTime { get; internal set; }

    /// <summary>Wall time of the whole run.</summary>
    public TimeSpan Elapsed { get; internal set; }

    public double FramesPerSecond => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;

    public override string ToString() =>
        $"{Frames} frames in {Elapsed.TotalSeconds:0.00} s ({FramesPerSecond:0.0} frames/s): decode {DecodeTime.TotalSeconds:0.00} s, " +
        $"predict {PredictTime.TotalSeconds:0.00} s, predictor waited {PredictorWaitTime.TotalSeconds:0.00} s";
}
