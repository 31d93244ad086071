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

    /// <summary>Part of <see cref="PredictTime"/>: preparing the models' input (<see cref="PredictorStageTimes.Preprocess"/>).</summary>
    public TimeSpan PreprocessTime { get; internal set; }

    /// <summary>Part of <see cref="PredictTime"/>: model runs (<see cref="PredictorStageTimes.Model"/>).</summary>
    public TimeSpan ModelTime { get; internal set; }

    /// <summary>Model runs made (a top-down batch makes two or more).</summary>
    public long ModelRuns { get; internal set; }

    /// <summary>Part of <see cref="PostprocessTime"/>: grouping peaks into instances (<see cref="PredictorStageTimes.Grouping"/>).</summary>
    public TimeSpan GroupingTime { get; internal set; }

    /// <summary>The rest of <see cref="PredictTime"/>: peaks, refinement, grouping, building instances.</summary>
    public TimeSpan PostprocessTime => PredictTime - PreprocessTime - ModelTime;

    /// <summary>Predictor thread: time spent waiting for decoded batches (decoding not hidden).</summary>
    public TimeSpan PredictorWaitTime { get; internal set; }

    /// <summary>Wall time of the whole run.</summary>
    public TimeSpan Elapsed { get; internal set; }

    public double FramesPerSecond => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;

    public override string ToString() =>
        $"{Frames} frames in {Elapsed.TotalSeconds:0.00} s ({FramesPerSecond:0.0} frames/s): decode {DecodeTime.TotalSeconds:0.00} s, " +
        $"predict {PredictTime.TotalSeconds:0.00} s (preprocess {PreprocessTime.TotalSeconds:0.00} s, model {ModelTime.TotalSeconds:0.00} s, " +
        $"post-process {PostprocessTime.TotalSeconds:0.00} s), predictor waited {PredictorWaitTime.TotalSeconds:0.00} s";
}
