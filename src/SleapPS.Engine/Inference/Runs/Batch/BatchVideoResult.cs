namespace SleapPS.Engine.Inference.Runs.Batch;

/// <summary>
/// The summary of one video of a batch (docs/design/batch-runs.md §2): what was done, how fast, and the error when it
/// failed. The batch's manifest records the same.
/// </summary>
public sealed class BatchVideoResult
{
    /// <summary>The video's path.</summary>
    public required string Video { get; init; }

    /// <summary>Its .slp in the output folder.</summary>
    public required string OutputPath { get; init; }

    public BatchVideoStatus Status { get; set; }

    /// <summary>Frames this run predicted (0 when skipped).</summary>
    public long Frames { get; set; }

    /// <summary>Frames an earlier, interrupted run had predicted (a resumed video).</summary>
    public long ResumedFrames { get; set; }

    /// <summary>Instances in the frames this run predicted.</summary>
    public long Instances { get; set; }

    /// <summary>Time this run spent on the video.</summary>
    public double Seconds { get; set; }

    /// <summary>Frames predicted per second of <see cref="Seconds"/>.</summary>
    public double FramesPerSecond => Seconds > 0 ? Frames / Seconds : 0;

    /// <summary>Instances per frame predicted.</summary>
    public double InstancesPerFrame => Frames > 0 ? (double)Instances / Frames : 0;

    /// <summary>The error's message when the video failed or was locked.</summary>
    public string? Error => Exception?.Message;

    /// <summary>The error itself (its kind and path), for a host to report.</summary>
    public SleapException? Exception { get; set; }

    /// <summary>Frames that could not be read.</summary>
    public IReadOnlyList<long> UnreadableFrames { get; set; } = [];

    /// <summary>When the video was done (UTC).</summary>
    public DateTime Finished { get; set; } = DateTime.UtcNow;
}
