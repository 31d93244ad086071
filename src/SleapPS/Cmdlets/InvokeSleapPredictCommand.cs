using System.Collections;
using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Inference.Runs;
using SleapPS.Engine.Inference.Runs.Batch;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Json;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Engine.Tracking;

namespace SleapPS.Cmdlets;

/// <summary>
/// Predicts poses with a Predictor (from Import-SleapModel) on videos or on the labelled / suggested frames of a
/// labels file, streaming frames through the predictor; emits Labels of PredictedInstances with provenance, or raw
/// per-frame arrays, and with -OutputPath writes a resumable .slp as it goes. With -Tracker, tracks identities
/// while predicting, as SLEAP's top-down and bottom-up predictors do.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SleapPredict", DefaultParameterSetName = VideoSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Labels), typeof(RawFrame), typeof(BatchVideoResult))]
public sealed partial class InvokeSleapPredictCommand : TrackerCmdlet, IDynamicParameters
{
    private const string VideoSet = "Video";
    private const string LiteralPathSet = "LiteralPath";
    private const string LabelsSet = "Labels";

    /// <summary>The error id of an output another run is writing, or whose lock cannot be created.</summary>
    private static string LockErrorId(SleapException ex) => ex.Kind == SleapErrorKind.InUse ? "OutputInUse" : "OutputNotWritable";

    private readonly List<(object Input, bool Literal)> _videoInputs = [];
    private Predictor? _predictor;
    private TrackerOptions? _tracking;

    /// <summary>The videos of SLEAP's data provider when it is a labels file (SizeMatcher's largest size); null for videos predicted on their own.</summary>
    private List<Video>? _providerVideos;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Predictor Predictor { get; set; } = null!;

    /// <summary>Video paths (wildcards allowed), folders of images, or Video objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = VideoSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Filename")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public object[] Video { get; set; } = [];

    /// <summary>Video paths taken exactly as written (no wildcards); binds Get-ChildItem output by its PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>A Labels object or a labels file path: predict on its labelled frames.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LabelsSet)]
    [ValidateNotNull]
    public object Labels { get; set; } = null!;

    /// <summary>Frames to predict: numbers (0..99) or ranges as text ("0-99,200,300..310"), read by <see cref="FrameList"/>.</summary>
    [Parameter]
    [ValidateNotNull]
    public string[] Frames { get; set; } = null!;

    [Parameter(ParameterSetName = LabelsSet)]
    public SwitchParameter OnlySuggestedFrames { get; set; }

    /// <summary>-Device, -Precision and the inference settings, declared once for this cmdlet and Import-SleapModel: those not given keep the predictor's.</summary>
    private readonly InferenceParameters _inference = new();

    public object GetDynamicParameters() => _inference;

    /// <summary>Write the predictions to this .slp as they come (resumable).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    /// <summary>With -OutputPath: replace a file that is already there (one this command's unfinished run did not leave).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>With -OutputPath: also emit the Labels written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Emit one RawFrame per frame (SLEAP's make_labels=False arrays) instead of Labels.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>With -Raw: add each frame's confidence maps and part affinity fields.</summary>
    [Parameter]
    public SwitchParameter IncludeConfidenceMaps { get; set; }

    /// <summary>Leave out frames where nothing was found.</summary>
    [Parameter]
    public SwitchParameter NoEmptyFrames { get; set; }

    /// <summary>Track identities while predicting with this SLEAP tracker; none (the default) does not track.</summary>
    [Parameter]
    [ValidateSet(TrackerParameters.Simple, TrackerParameters.Flow, TrackerParameters.SimpleMaxTracks, TrackerParameters.FlowMaxTracks, TrackerParameters.None)]
    public string Tracker { get; set; } = TrackerParameters.None;

    /// <summary>Checks the tracker options (and the batch and progress options) before anything is loaded or decoded.</summary>
    protected override void BeginProcessing()
    {
        CheckBatchAndProgressOptions();
        var options = TrackerOptionsOf(Tracker);
        if (options.Tracker == TrackerKind.None) return;
        if (Raw)
            Fail(new SleapException(SleapErrorKind.InvalidArgument,
                $"-Raw emits SLEAP's make_labels=False arrays, which carry no tracks (SLEAP tracks only when it makes labels), so it cannot be used with -Tracker {Tracker}. " +
                "Leave out -Raw to get tracked Labels, or -Tracker to get the arrays."), "InvalidTrackerOptions");
        _tracking = options;
    }

    protected override void ProcessRecord()
    {
        if (_predictor is not null && !ReferenceEquals(_predictor, Predictor))
            Fail(new SleapException(SleapErrorKind.InvalidArgument,
                "More than one Predictor came down the pipeline. Invoke-SleapPredict runs one predictor; call it once per predictor."), "SeveralPredictors");
        _predictor = Predictor;
        if (ParameterSetName == VideoSet) _videoInputs.AddRange(Video.Select(v => (v, false)));
        if (ParameterSetName == LiteralPathSet) _videoInputs.AddRange(LiteralPath.Select(p => ((object)p, true)));
    }

    protected override void EndProcessing()
    {
        if (IsSharded) { PredictShard(); return; }   // InvokeSleapPredictCommand.Shard.cs
        using var reloaded = ReloadedOnRequestedDevice(_predictor!);
        var predictor = reloaded ?? _predictor!;
        var settings = Settings(predictor);
        if (OutputDirectory is not null)
        {
            PredictBatch(predictor, settings);
            return;
        }
        var targets = ParameterSetName == LabelsSet ? LabelsTargets() : VideoTargets();
        if (targets.Count == 0)
        {
            WriteVerbose("No video could be opened: nothing to predict.");
            return;
        }

        var posePredictor = PosePredictorFor(predictor, settings, targets);
        using (posePredictor)
        {
            if (_providerVideos is not null) PosePredictors.SetProviderVideos(posePredictor, _providerVideos);
            Predict(predictor, settings, posePredictor, targets);
        }
    }

    /// <summary>
    /// The pose predictor of a run, once SLEAP's rules allow it: a tracker only with top-down and bottom-up models
    /// (InvalidTrackerOptions), ground truth for the targets where the models take it from the labels (GroundTruthRequired).
    /// </summary>
    private PosePredictor PosePredictorFor(Predictor predictor, InferenceSettings settings, IReadOnlyList<PredictionTarget> targets)
    {
        if (_tracking is not null && predictor.Kind is not (PredictorKind.TopDown or PredictorKind.BottomUp))
            Fail(new SleapException(SleapErrorKind.InvalidArgument,
                $"The {predictor.Kind} predictor does not track: SLEAP runs a tracker only with top-down and bottom-up models " +
                "(a single-instance model finds one animal; multi-class models name tracks after their classes). Leave out -Tracker."), "InvalidTrackerOptions");
        return OrFail(() =>
        {
            PredictionPipeline.RequireGroundTruthWhereNeeded(predictor.Kind, predictor.CentroidFromGroundTruth || predictor.InstanceFromGroundTruth, targets);
            return PosePredictors.Create(predictor, settings);
        }, ex => ex.Kind == SleapErrorKind.InvalidArgument ? "GroundTruthRequired" : "PredictorUnavailable");
    }

    private void Predict(Predictor predictor, InferenceSettings settings, PosePredictor posePredictor, List<PredictionTarget> targets)
    {
        string? outputPath = OutputPath is null ? null : ResolveOutputPath(OutputPath);
        if (outputPath is not null)
        {
            if (!ShouldProcess(outputPath, $"Predict poses ({predictor.Kind}) on {targets.Count} video{(targets.Count == 1 ? "" : "s")} and write them"))
                return;
        }
        // Held until the file is complete: two runs never write the same output (docs/design/batch-runs.md §3).
        using var outputLock = outputPath is null ? null : OrFail(() => OutputLock.Acquire(outputPath), LockErrorId);
        // An existing file is replaced only on request: it may hold a long run's predictions. A parts folder beside it
        // is an unfinished run, which the writer resumes only when it is this same run.
        if (outputPath is not null && File.Exists(outputPath) && !Force && !Directory.Exists(ResumableSlpWriter.PartsFolderOf(outputPath)))
            Fail(new SleapException(SleapErrorKind.WriteError,
                $"The file '{outputPath}' already exists. Use -Force to replace it, or choose another -OutputPath.", outputPath), "OutputExists");
        var run = new PredictionRun(posePredictor, RunOptions(predictor, settings, targets, outputPath));
        string activity = $"Predicting poses ({predictor.Kind})";
        using var progress = OpenProgressReporter(activity);
        var events = RunEvents(progress, run.Videos);
        try
        {
            run.OpenOutput(events);
        }
        catch (SleapException ex)
        {
            Fail(ex, "OutputNotWritable");
        }

        bool finished = false;
        try
        {
            finished = run.Predict(events, StopToken);
        }
        catch (SleapException ex)
        {
            Fail(ex, "PredictionFailed");   // the run kept the frames done
        }
        finally
        {
            progress.Complete();
        }
        if (!finished) return;
        Labels? labels;
        try
        {
            labels = OrFail(() => run.Complete(readBack: PassThru), "OutputNotWritable");
        }
        catch (OperationCanceledException)
        {
            return;   // stopped while the parts were merged: the output file is as it was, the parts kept for a rerun
        }
        finally
        {
            progress.Complete();
        }
        if (labels is not null) WriteObject(labels);
    }

    /// <summary>The cmdlet's side of a run: labels and raw frames to the pipeline, progress, warnings and errors to their streams.</summary>
    private PredictionRunEvents RunEvents(PredictionProgressReporter progress, IReadOnlyList<Video> videos) => new()
    {
        Progress = p => progress.Report(p, p.CurrentVideo, PredictionProgressReporter.NumberOf(videos, p.CurrentVideo), videos.Count),
        Merging = (merged, total) => progress.Merging(merged, total, OutputPath ?? ""),
        VideoFailed = f => Report(f.Error, "VideoUnreadable"),
        Warning = WriteWarning,
        Verbose = WriteVerbose,
        Labels = WriteObject,
        RawFrame = WriteObject,
    };

    /// <summary>What the engine's run needs from the parameters.</summary>
    private PredictionRunOptions RunOptions(Predictor predictor, InferenceSettings settings, IReadOnlyList<PredictionTarget> targets, string? outputPath) => new()
    {
        Predictor = predictor,
        Settings = settings,
        Targets = targets,
        // Labels from a labels file come back as one Labels; videos come back one Labels each, as each completes.
        Output = outputPath is not null ? PredictionRunOutput.File
            : ParameterSetName == LabelsSet ? PredictionRunOutput.LabelsOfRun : PredictionRunOutput.LabelsPerVideo,
        OutputPath = outputPath,
        FramesPerPart = FramesPerPart,
        RawFrames = Raw,
        IncludeConfidenceMaps = IncludeConfidenceMaps,
        NoEmptyFrames = NoEmptyFrames,
        Tracking = _tracking,
        TrackerName = Tracker,
        Command = MyInvocation.Line,
        DataPath = ParameterSetName == LabelsSet ? LabelsDataPath() : null,
        ExtraArgs = ExtraArgs(),
    };

    /// <summary>The predictor's settings, with those given here instead; -BatchSize Auto chosen for the predictor's device.</summary>
    private InferenceSettings Settings(Predictor predictor)
    {
        var inference = _inference.Of(this);
        var settings = OrFail(() => inference.Settings(predictor.Settings), InferenceParameters.InvalidSettingErrorId);
        if (!inference.AutoBatchSize) return settings;
        settings = settings with { BatchSize = OrFail(() => AutoBatchSize.For(predictor), "BatchSizeUnavailable") };
        WriteVerbose($"Batch size Auto: {settings.BatchSize} frames a batch on {predictor.Device}.");
        return settings;
    }

    /// <summary>
    /// Null when the predictor runs as it was loaded; when -Device or -Precision asks for another device or precision,
    /// the predictor's models loaded again that way (from the model cache), for this run only.
    /// </summary>
    private Predictor? ReloadedOnRequestedDevice(Predictor predictor)
    {
        var inference = _inference.Of(this);
        // Auto is what it resolves to here: a predictor that Auto put on the CPU stays there when CUDA still cannot load.
        var device = inference.Given(nameof(inference.Device))
            ? OrFail(() => DeviceSelection.Resolve(inference.Device, WriteVerbose), "DeviceUnavailable")
            : predictor.Device;
        var precision = inference.Given(nameof(inference.Precision)) ? inference.Precision : predictor.Precision;
        if (device == predictor.Device && precision == predictor.Precision) return null;
        WriteVerbose($"The predictor was loaded on {predictor.Device} ({predictor.Precision}); loading its models again on {device} ({precision}) for this run.");
        return OrFail(() => predictor.Reload(new ModelLoadOptions
        {
            Device = device,
            Precision = precision,
            CacheFolder = predictor.CacheFolder,
            Log = WriteVerbose,
        }), "ModelLoadFailed");
    }

    private IReadOnlyList<long>? FramesToPredict()
    {
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(Frames))) return null;
        return OrFail(() => FrameList.Parse(Frames).Expand(), "InvalidFrames");
    }

    private List<PredictionTarget> VideoTargets()
    {
        var frames = FramesToPredict();
        var targets = new List<PredictionTarget>();
        foreach (var (input, literal) in _videoInputs)
        {
            object? value = Unwrapped(input);
            if (value is Video video)
            {
                if (!video.IsAvailable)
                {
                    Report(new SleapException(SleapErrorKind.NotFound,
                        $"The video '{video.Filename}' was not found, so its frames cannot be read. Import its labels with -VideoSearchPath, or give the video's path.", video.Filename), "VideoNotFound");
                    continue;
                }
                targets.Add(PredictionTargets.Video(video, frames));
                continue;
            }
            string? text = value?.ToString();
            if (string.IsNullOrEmpty(text)) continue;
            foreach (string path in ResolveInputPaths(text, literal))
            {
                try
                {
                    targets.Add(PredictionTargets.Video(FrameSources.DescribeFile(path), frames));
                }
                catch (SleapException ex)
                {
                    Report(ex, ex.Kind == SleapErrorKind.NotFound ? "VideoNotFound" : "VideoUnreadable");
                }
            }
        }
        return targets;
    }

    private List<PredictionTarget> LabelsTargets()
    {
        object value = Unwrapped(Labels);
        var labels = value as Labels ?? OrFail(() => LabelsReader.Read(ResolveOutputPath(value.ToString()!)), "LabelsReadFailed");
        // Labelled and suggested frames come from the labels file as SLEAP's data provider: SizeMatcher sizes them to the
        // largest of all its videos. With -Frames each video is predicted on its own (sleap-track's --video.index).
        var frames = FramesToPredict();
        if (OnlySuggestedFrames || frames is null) _providerVideos = labels.Videos;
        if (OnlySuggestedFrames) return [.. PredictionTargets.SuggestedFrames(labels)];
        if (frames is not null) return labels.Videos.Select(v => PredictionTargets.LabelsVideo(labels, v, frames)).ToList();
        return [.. PredictionTargets.LabeledFrames(labels)];
    }

    private Dictionary<string, object?> ExtraArgs() => new(TrackingProvenance.Args(_tracking))
    {
        ["frames"] = MyInvocation.BoundParameters.ContainsKey(nameof(Frames)) ? FrameList.Format(FramesToPredict()!) : null,
        ["only_suggested_frames"] = OnlySuggestedFrames.IsPresent,
        ["no_empty_frames"] = NoEmptyFrames.IsPresent,
        ["raw"] = Raw.IsPresent,
    };

    /// <summary>The labels file predicted on, for provenance (the videos' paths are the run's default).</summary>
    private string LabelsDataPath()
    {
        object value = Unwrapped(Labels);
        return value is Labels labels ? labels.SourcePath ?? "" : ResolveOutputPath(value.ToString()!);
    }
}
