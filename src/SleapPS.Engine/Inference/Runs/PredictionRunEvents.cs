using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;

namespace SleapPS.Engine.Inference.Runs;

/// <summary>
/// What a <see cref="PredictionRun"/> reports while it runs. Every callback runs on the thread that called
/// <see cref="PredictionRun.Predict"/> or <see cref="PredictionRun.Complete"/>, so a host may write to its own
/// output from them (a cmdlet's WriteObject, a console). Unset callbacks are skipped.
/// </summary>
public sealed class PredictionRunEvents
{
    /// <summary>After each batch: frames done, total, speed.</summary>
    public Action<PredictionProgress>? Progress { get; init; }

    /// <summary>
    /// While <see cref="PredictionRun.Complete"/> merges the parts into the output file: parts merged so far (0 when the
    /// merge starts) and all parts.
    /// </summary>
    public Action<int, int>? Merging { get; init; }

    /// <summary>A video (or the rest of it) could not be read; the run goes on with the next.</summary>
    public Action<VideoFailure>? VideoFailed { get; init; }

    /// <summary>Something the user should know (a resumed run, a tracker's warning).</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>Detail for those who ask (timings, where the parts of a stopped run are).</summary>
    public Action<string>? Verbose { get; init; }

    /// <summary>A finished Labels: one per video (<see cref="PredictionRunOutput.LabelsPerVideo"/>) or one for the run.</summary>
    public Action<Labels>? Labels { get; init; }

    /// <summary>One frame's arrays (<see cref="PredictionRunOptions.RawFrames"/>).</summary>
    public Action<RawFrame>? RawFrame { get; init; }
}
