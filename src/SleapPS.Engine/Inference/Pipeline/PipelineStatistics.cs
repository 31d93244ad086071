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

    /// <summary>
    /// Frames that could not be decoded, in the order met, consecutive frames of one video as one range. Complete once
    /// the run has ended; a host reports them (frame numbers) in its run summary (docs/design/reliability.md §5).
    /// </summary>
    public IReadOnlyList<UnreadFrames> UnreadFrames => _unread;

    /// <summary>How many frames <see cref="UnreadFrames"/> holds.</summary>
    public long UnreadFrameCount => _unread.Sum(u => u.Count);

    private readonly List<UnreadFrames> _unread = new();

    /// <summary>Notes one unreadable frame, extending the last range when it follows it.</summary>
    internal void AddUnread(Data.Video video, long frameIndex, SleapException error)
    {
        if (_unread.Count > 0 && _unread[^1] is var last && last.Video == video && last.LastFrame + 1 == frameIndex)
            _unread[^1] = last with { LastFrame = frameIndex };
        else
            _unread.Add(new UnreadFrames(video, frameIndex, frameIndex, error));
    }

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
