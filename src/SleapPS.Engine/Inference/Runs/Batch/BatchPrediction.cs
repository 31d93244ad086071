using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.IO;

namespace SleapPS.Engine.Inference.Runs.Batch;

/// <summary>
/// Predicts many videos into one folder, one .slp each (docs/design/batch-runs.md): a video whose output is complete
/// is skipped, an unfinished one resumed, one that another run is writing left to it (the output's
/// <see cref="OutputLock"/>), and a video that fails is recorded and the batch goes on. Each video is one
/// <see cref="PredictionRun"/> with the same loaded models; each result is recorded in the folder's
/// <see cref="BatchManifest"/> before it is handed over.
/// </summary>
public sealed class BatchPrediction
{
    private readonly PosePredictor _posePredictor;
    private readonly BatchPredictionOptions _options;

    /// <param name="posePredictor">The predictor of the loaded models, reused for every video; not disposed here.</param>
    public BatchPrediction(PosePredictor posePredictor, BatchPredictionOptions options)
    {
        ArgumentNullException.ThrowIfNull(posePredictor);
        ArgumentNullException.ThrowIfNull(options);
        _posePredictor = posePredictor;
        _options = options;
        OutputDirectory = Path.GetFullPath(options.OutputDirectory);
        Manifest = new BatchManifest(OutputDirectory);
    }

    public string OutputDirectory { get; }

    public BatchManifest Manifest { get; }

    /// <summary>
    /// Creates the output folder when missing and checks that files can be created in it, before any video is read.
    /// </summary>
    /// <exception cref="SleapException">WriteError naming the folder when it cannot be created or written to.</exception>
    public void PrepareOutputDirectory()
    {
        try
        {
            if (File.Exists(OutputDirectory))
                throw new IOException($"'{OutputDirectory}' is a file");
            Directory.CreateDirectory(OutputDirectory);
            // Permissions, read-only mounts and quotas all show here, not in the folder's attributes: try.
            string probe = Path.Combine(OutputDirectory, $".sleapps-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.WriteError,
                $"Cannot write predictions into the folder '{OutputDirectory}': {ex.Message}. Choose a folder you can create files in with -OutputDirectory.",
                OutputDirectory, ex);
        }
    }

    /// <summary>
    /// Predicts the videos in order and yields one result per video as it is done. Cancelling stops after the batch of
    /// frames in flight: the video being predicted keeps its parts (resumed by the next run) and yields no result.
    /// </summary>
    public IEnumerable<BatchVideoResult> Run(IReadOnlyList<BatchInput> inputs, BatchEvents? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        events ??= new BatchEvents();
        PrepareOutputDirectory();
        var claimed = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        for (int i = 0; i < inputs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var input = inputs[i];
            string outputPath = Path.Combine(OutputDirectory, BatchOutputNames.For(input.Path));
            var result = new BatchVideoResult { Video = input.Path, OutputPath = outputPath };
            if (claimed.TryGetValue(outputPath, out string? first))
                Fail(result, new SleapException(SleapErrorKind.InvalidArgument,
                    $"The videos '{first}' and '{input.Path}' would both be predicted into '{outputPath}' (an output is named after its video's name without the extension, as sleap-track names them). Predict one of them into another output folder.",
                    input.Path));
            else
            {
                claimed[outputPath] = input.Path;
                if (!PredictVideo(input, result, i + 1, inputs.Count, events, cancellationToken)) yield break;
            }
            result.Finished = DateTime.UtcNow;
            Manifest.Record(result);
            events.VideoDone?.Invoke(result);
            yield return result;
        }
    }

    /// <summary>Predicts one video into its output; false when the batch was cancelled.</summary>
    private bool PredictVideo(BatchInput input, BatchVideoResult result, int number, int count, BatchEvents events, CancellationToken token)
    {
        OutputLock held;
        try
        {
            held = OutputLock.Acquire(result.OutputPath);
        }
        catch (SleapException ex)
        {
            result.Status = ex.Kind == SleapErrorKind.InUse ? BatchVideoStatus.Locked : BatchVideoStatus.Failed;
            result.Exception = ex;
            return true;
        }
        using (held)
        {
            // Checked under the lock: a run that held it a moment ago may just have completed this output.
            bool unfinished = Directory.Exists(ResumableSlpWriter.PartsFolderOf(result.OutputPath));
            if (File.Exists(result.OutputPath) && !unfinished && !_options.Force)
            {
                result.Status = BatchVideoStatus.Skipped;
                events.Verbose?.Invoke($"Skipped '{input.Path}': its output '{result.OutputPath}' is complete. Use -Force to predict it again.");
                return true;
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var video = input.Video ?? FrameSources.DescribeFile(input.Path);
                var run = new PredictionRun(_posePredictor, RunOptions(PredictionTargets.Video(video, _options.Frames), result.OutputPath));
                var runEvents = new PredictionRunEvents
                {
                    Progress = p => events.Progress?.Invoke(new BatchProgress(number, count, input.Path, p)),
                    Warning = events.Warning,
                    Verbose = events.Verbose,
                };
                run.OpenOutput(runEvents);
                bool finished = run.Predict(runEvents, token);
                Tally(result, run, clock);
                if (!finished) return false;
                if (run.Failures.Count > 0)
                {
                    // The frames before the failure stay in the parts folder: the next run resumes there (and meets the same
                    // frame again if it is broken), so a partial file never passes for a complete one.
                    run.Suspend();
                    Fail(result, run.Failures[0].Error);
                    return true;
                }
                try
                {
                    run.Complete();
                }
                catch (OperationCanceledException)
                {
                    return false;   // stopped while merging: the output is untouched and the parts kept for the next run
                }
                Tally(result, run, clock);
                result.Status = run.ResumedFrames > 0 ? BatchVideoStatus.Resumed : BatchVideoStatus.Predicted;
            }
            catch (SleapException ex)
            {
                result.Seconds = clock.Elapsed.TotalSeconds;
                Fail(result, ex);
            }
            return true;
        }
    }

    private static void Tally(BatchVideoResult result, PredictionRun run, System.Diagnostics.Stopwatch clock)
    {
        result.Frames = run.FramesPredicted;
        result.ResumedFrames = run.ResumedFrames;
        result.Instances = run.InstancesPredicted;
        result.Seconds = clock.Elapsed.TotalSeconds;
        result.UnreadableFrames = run.UnreadableFrames.ToList();
    }

    private static void Fail(BatchVideoResult result, SleapException error)
    {
        result.Status = BatchVideoStatus.Failed;
        result.Exception = error;
    }

    private PredictionRunOptions RunOptions(PredictionTarget target, string outputPath) => new()
    {
        Predictor = _options.Predictor,
        Settings = _options.Settings,
        Targets = [target],
        Output = PredictionRunOutput.File,
        OutputPath = outputPath,
        FramesPerPart = _options.FramesPerPart,
        NoEmptyFrames = _options.NoEmptyFrames,
        Tracking = _options.Tracking,
        TrackerName = _options.TrackerName,
        Command = _options.Command,
        ExtraArgs = _options.ExtraArgs,
        DecoderThreads = _options.DecoderThreads,
    };
}
