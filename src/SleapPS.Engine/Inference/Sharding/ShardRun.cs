using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Runs;
using SleapPS.Engine.IO;

namespace SleapPS.Engine.Inference.Sharding;

/// <summary>How one task of a shard ended.</summary>
public enum ShardTaskStatus
{
    /// <summary>Its part was predicted (or the unfinished part of an earlier run finished) and written.</summary>
    Predicted,

    /// <summary>Its part was already complete: nothing was done.</summary>
    Skipped,

    /// <summary>The run was cancelled: the frames done are kept in the part's parts folder, and a rerun resumes.</summary>
    Stopped,

    /// <summary>Its video could not be read, its part is held by another run, or it cannot be written: no part was written.</summary>
    Failed,
}

/// <summary>One task's outcome.</summary>
public sealed record ShardTaskResult(ShardTask Task, ShardTaskStatus Status, long FramesPredicted, long ResumedFrames, TimeSpan Elapsed, SleapException? Error = null);

/// <summary>
/// Runs one shard's tasks (docs/design/sharding.md §3): each task is a <see cref="PredictionRun"/> that writes its part
/// resumably (an interrupted shard, run again, continues where its parts folder ends), under the part's
/// <see cref="OutputLock"/> (two processes never write one part), with the shard recorded in the part's provenance.
/// A complete part is skipped unless <c>force</c>; a task that fails is reported and the shard goes on with the next.
/// </summary>
public sealed class ShardRun
{
    private readonly PosePredictor _posePredictor;
    private readonly PredictionRunOptions _template;

    /// <param name="posePredictor">The predictor of the loaded models (not disposed here).</param>
    /// <param name="template">The run's options (predictor, settings, empty frames, command, args); targets and output come from each task.</param>
    /// <exception cref="SleapException">InvalidArgument for a tracking run: shards track nothing (the joined file is tracked as its own pass).</exception>
    public ShardRun(PosePredictor posePredictor, PredictionRunOptions template)
    {
        ArgumentNullException.ThrowIfNull(posePredictor);
        ArgumentNullException.ThrowIfNull(template);
        if (template.Tracking is not null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                "A sharded run cannot track while predicting: each shard sees only its frames, so identities would break at every shard's edge. " +
                "Predict without -Tracker, join the parts (Join-SleapPrediction), then track the joined file (Start-SleapTracker).");
        _posePredictor = posePredictor;
        _template = template;
    }

    /// <summary>What identifies the run on every machine: the models, settings and empty-frame choice (the plan adds videos and shard count).</summary>
    public static string Description(PredictionRunOptions template) => PredictionRunDescription.Of(new PredictionRunOptions
    {
        Predictor = template.Predictor,
        Settings = template.Settings,
        Targets = [],
        NoEmptyFrames = template.NoEmptyFrames,
    });

    /// <summary>Runs the tasks in order; stops after a cancelled one (its result says Stopped).</summary>
    /// <param name="force">Predict a task again even when its part is complete.</param>
    public IEnumerable<ShardTaskResult> Run(IReadOnlyList<ShardTask> tasks, bool force, PredictionRunEvents? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        foreach (var task in tasks)
        {
            var result = RunOne(task, force, events, cancellationToken);
            yield return result;
            if (result.Status == ShardTaskStatus.Stopped) yield break;
        }
    }

    private ShardTaskResult RunOne(ShardTask task, bool force, PredictionRunEvents? events, CancellationToken token)
    {
        OutputLock? held = null;
        try
        {
            held = OutputLock.Acquire(task.PartPath);
            bool unfinished = Directory.Exists(ResumableSlpWriter.PartsFolderOf(task.PartPath));
            if (File.Exists(task.PartPath) && !unfinished && !force)
                return new ShardTaskResult(task, ShardTaskStatus.Skipped, 0, 0, TimeSpan.Zero);

            var run = new PredictionRun(_posePredictor, OptionsOf(task));
            run.OpenOutput(events);
            if (!run.Predict(events, token))
                return new ShardTaskResult(task, ShardTaskStatus.Stopped, run.FramesPredicted, run.ResumedFrames, run.Elapsed);
            if (run.Failures.Count > 0)
            {
                // A part that lacks frames would join into a file that lacks them: leave it unwritten, its frames kept for a rerun.
                var failure = run.Failures[0];
                return new ShardTaskResult(task, ShardTaskStatus.Failed, run.FramesPredicted, run.ResumedFrames, run.Elapsed,
                    new SleapException(SleapErrorKind.InvalidData,
                        $"Shard {task.Part.Shard} could not read all its frames of '{task.Part.Video}' ({failure.Error.Message}), so its part '{task.PartPath}' was not written. " +
                        "Fix the video and run the shard again.", task.Part.Video, failure.Error));
            }
            try
            {
                run.Complete();
            }
            catch (OperationCanceledException)
            {
                // Stopped while merging: the part file is untouched and its parts folder kept for the next run.
                return new ShardTaskResult(task, ShardTaskStatus.Stopped, run.FramesPredicted, run.ResumedFrames, run.Elapsed);
            }
            return new ShardTaskResult(task, ShardTaskStatus.Predicted, run.FramesPredicted, run.ResumedFrames, run.Elapsed);
        }
        catch (SleapException ex)
        {
            return new ShardTaskResult(task, ShardTaskStatus.Failed, 0, 0, TimeSpan.Zero, ex);
        }
        finally
        {
            held?.Dispose();
        }
    }

    private PredictionRunOptions OptionsOf(ShardTask task) => new()
    {
        Predictor = _template.Predictor,
        Settings = _template.Settings,
        Targets = [task.Target],
        Output = PredictionRunOutput.File,
        OutputPath = task.PartPath,
        FramesPerPart = _template.FramesPerPart,
        NoEmptyFrames = _template.NoEmptyFrames,
        Command = _template.Command,
        DataPath = task.Part.Video,
        ExtraArgs = _template.ExtraArgs,
        DecoderThreads = _template.DecoderThreads,
        ExtraProvenance = new Dictionary<string, object?> { [ShardPart.ProvenanceKey] = task.Part.ToProvenance() },
    };
}
