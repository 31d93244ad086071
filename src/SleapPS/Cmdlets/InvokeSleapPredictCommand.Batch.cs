using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Inference.Runs.Batch;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Cmdlets;

/// <summary>
/// Invoke-SleapPredict's batch mode and its progress options (docs/design/batch-runs.md): -OutputDirectory predicts each
/// video into its own .slp through the engine's <see cref="BatchPrediction"/>, one summary per video down the pipeline.
/// </summary>
public sealed partial class InvokeSleapPredictCommand
{
    /// <summary>Predict each video into its own .slp in this folder (named as sleap-track names them), skipping complete ones.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    /// <summary>Rich (PowerShell's progress bar, the default), Json (one line per report interval) or None.</summary>
    [Parameter]
    public ProgressReporting ProgressReporting { get; set; } = ProgressReporting.Rich;

    /// <summary>With Json progress: append the lines to this file instead of standard output.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProgressLog { get; set; }

    private string? _progressLogPath;

    /// <summary>Options of the batch and of progress that do not go together stop the command before anything is read.</summary>
    private void CheckBatchAndProgressOptions()
    {
        if (ProgressLog is not null)
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(ProgressReporting)) && ProgressReporting != ProgressReporting.Json)
                Fail(new SleapException(SleapErrorKind.InvalidArgument,
                    $"-ProgressLog writes JSON progress lines, so it cannot be used with -ProgressReporting {ProgressReporting}. Leave out -ProgressReporting, or give Json."),
                    "InvalidProgressOptions");
            ProgressReporting = ProgressReporting.Json;
            _progressLogPath = ResolveOutputPath(ProgressLog);
        }
        if (OutputDirectory is null) return;
        if (OutputPath is not null)
            Fail(new SleapException(SleapErrorKind.InvalidArgument,
                "-OutputPath writes all videos into one file and -OutputDirectory writes one file per video: give one of them, not both."),
                "OutputDirectoryWithOutputPath");
        if (ParameterSetName == LabelsSet)
            Fail(new SleapException(SleapErrorKind.InvalidArgument,
                "-OutputDirectory predicts videos, one file each; the frames of a labels file (-Labels) go into one file: use -OutputPath."),
                "OutputDirectoryWithLabels");
        if (Raw)
            Fail(new SleapException(SleapErrorKind.InvalidArgument,
                "-Raw emits arrays and writes no file, so it cannot be used with -OutputDirectory. Leave out one of them."),
                "OutputDirectoryWithRaw");
    }

    private PredictionProgressReporter OpenProgressReporter(string activity, bool batch = false) =>
        OrFail(() =>
        {
            try
            {
                return new PredictionProgressReporter(this, ProgressReporting, activity, _progressLogPath, batch);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SleapException(SleapErrorKind.WriteError, $"Cannot write the progress log '{_progressLogPath}': {ex.Message}", _progressLogPath, ex);
            }
        }, "ProgressLogNotWritable");

    /// <summary>-OutputDirectory: one .slp per video, one summary per video, one error per video that failed or is locked.</summary>
    private void PredictBatch(Predictor predictor, InferenceSettings settings)
    {
        var inputs = BatchInputs();
        if (inputs.Count == 0)
        {
            WriteVerbose("No video could be found: nothing to predict.");
            return;
        }
        string directory = ResolveOutputPath(OutputDirectory!);
        if (!ShouldProcess(directory, $"Predict poses ({predictor.Kind}) on {inputs.Count} video{(inputs.Count == 1 ? "" : "s")}, one .slp each"))
            return;
        var posePredictor = PosePredictorFor(predictor, settings, [new PredictionTarget(new Video(inputs[0].Path, VideoBackend.Media))]);
        using (posePredictor)
        {
            var batch = new BatchPrediction(posePredictor, new BatchPredictionOptions
            {
                Predictor = predictor,
                Settings = settings,
                OutputDirectory = directory,
                Frames = FramesToPredict(),
                Force = Force,
                NoEmptyFrames = NoEmptyFrames,
                Tracking = _tracking,
                TrackerName = Tracker,
                Command = MyInvocation.Line,
                ExtraArgs = ExtraArgs(),
            });
            OrFail(() =>
            {
                batch.PrepareOutputDirectory();
                return true;
            }, "OutputNotWritable");
            using var progress = OpenProgressReporter($"Predicting poses ({predictor.Kind})", batch: true);
            var events = new BatchEvents
            {
                Progress = p => progress.Report(p.Frames, p.Video, p.VideoNumber, p.VideoCount),
                VideoDone = _ => progress.VideoDone(),
                Warning = WriteWarning,
                Verbose = WriteVerbose,
            };
            try
            {
                foreach (var result in batch.Run(inputs, events, StopToken))
                {
                    if (result.Exception is { } error)
                        Report(error, result.Status == BatchVideoStatus.Locked ? "OutputInUse" : "VideoFailed");
                    WriteObject(result);
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the video in flight keeps its parts; the next run resumes it.
            }
            catch (SleapException ex)
            {
                Fail(ex, "ManifestNotWritable");
            }
            finally
            {
                progress.Complete();
            }
        }
    }

    /// <summary>The videos named, in order: paths resolved (wildcards), Video objects as they are. Nothing is opened yet.</summary>
    private List<BatchInput> BatchInputs()
    {
        var inputs = new List<BatchInput>();
        foreach (var (input, literal) in _videoInputs)
        {
            object? value = Unwrapped(input);
            if (value is Video video)
            {
                inputs.Add(video.IsAvailable ? BatchInput.Of(video) : new BatchInput(video.Filename));
                continue;
            }
            string? text = value?.ToString();
            if (string.IsNullOrEmpty(text)) continue;
            inputs.AddRange(ResolveInputPaths(text, literal).Select(p => new BatchInput(p)));
        }
        return inputs;
    }
}
