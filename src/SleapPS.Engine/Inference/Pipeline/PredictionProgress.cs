namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// Where a prediction run stands. <see cref="FramesPerSecond"/> is measured over the last batches (SLEAP uses the
/// last 30), so that it follows the current speed rather than the start-up.
/// </summary>
/// <param name="FramesDone">Frames predicted so far (failed and skipped frames not counted).</param>
/// <param name="TotalFrames">Frames to predict in all; null while a video's frame count is unknown.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="FramesPerSecond">Recent speed; 0 until two batches are done.</param>
/// <param name="CurrentVideo">The video of the last frame predicted.</param>
public sealed record PredictionProgress(long FramesDone, long? TotalFrames, TimeSpan Elapsed, double FramesPerSecond, string CurrentVideo)
{
    /// <summary>Estimated time left at the recent speed; null when unknown.</summary>
    public TimeSpan? Remaining =>
        TotalFrames is long total && FramesPerSecond > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - FramesDone) / FramesPerSecond) : null;

    /// <summary>0 to 100; -1 when the total is unknown.</summary>
    public int PercentComplete => TotalFrames is long total && total > 0 ? (int)Math.Min(100, 100 * FramesDone / total) : -1;
}
