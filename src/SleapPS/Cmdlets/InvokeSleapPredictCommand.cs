using System.Collections;
using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
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
[OutputType(typeof(Labels), typeof(RawFrame))]
public sealed class InvokeSleapPredictCommand : TrackerCmdlet, IDynamicParameters
{
    private const string VideoSet = "Video";
    private const string LiteralPathSet = "LiteralPath";
    private const string LabelsSet = "Labels";
    private const int ProgressId = 41;

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

    /// <summary>Checks the tracker options before anything is loaded or decoded.</summary>
    protected override void BeginProcessing()
    {
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
        using var reloaded = ReloadedOnRequestedDevice(_predictor!);
        var predictor = reloaded ?? _predictor!;
        var settings = Settings(predictor);
        var targets = ParameterSetName == LabelsSet ? LabelsTargets() : VideoTargets();
        if (targets.Count == 0)
        {
            WriteVerbose("No video could be opened: nothing to predict.");
            return;
        }

        if (_tracking is not null && predictor.Kind is not (PredictorKind.TopDown or PredictorKind.BottomUp))
            Fail(new SleapException(SleapErrorKind.InvalidArgument,
                $"The {predictor.Kind} predictor does not track: SLEAP runs a tracker only with top-down and bottom-up models " +
                "(a single-instance model finds one animal; multi-class models name tracks after their classes). Leave out -Tracker."), "InvalidTrackerOptions");

        var posePredictor = OrFail(() =>
        {
            PredictionPipeline.RequireGroundTruthWhereNeeded(predictor.Kind, predictor.CentroidFromGroundTruth || predictor.InstanceFromGroundTruth, targets);
            return PosePredictors.Create(predictor, settings);
        }, ex => ex.Kind == SleapErrorKind.InvalidArgument ? "GroundTruthRequired" : "PredictorUnavailable");
        using (posePredictor)
        {
            var videos = targets.Select(t => t.Video).Distinct().ToList();
            if (_providerVideos is not null) PosePredictors.SetProviderVideos(posePredictor, _providerVideos);
            Predict(predictor, settings, posePredictor, targets, videos);
        }
    }

    private void Predict(Predictor predictor, InferenceSettings settings, PosePredictor posePredictor, List<PredictionTarget> targets, List<Video> videos)
    {
        var start = DateTime.Now;
        string? outputPath = OutputPath is null ? null : ResolveOutputPath(OutputPath);
        ResumableSlpWriter? writer = null;
        if (outputPath is not null)
        {
            if (!ShouldProcess(outputPath, $"Predict poses ({predictor.Kind}) on {targets.Count} video{(targets.Count == 1 ? "" : "s")} and write them"))
                return;
            // An existing file is replaced only on request: it may hold a long run's predictions. A parts folder beside it
            // is an unfinished run, which the writer resumes only when it is this same run.
            if (File.Exists(outputPath) && !Force && !Directory.Exists(ResumableSlpWriter.PartsFolderOf(outputPath)))
                Fail(new SleapException(SleapErrorKind.WriteError,
                    $"The file '{outputPath}' already exists. Use -Force to replace it, or choose another -OutputPath.", outputPath), "OutputExists");
            try
            {
                // A tracked run keeps empty frames in its parts: re-tracking a resumed run must see every frame the tracker saw.
                writer = new ResumableSlpWriter(outputPath, predictor.Skeleton, videos, RunDescription(predictor, settings, targets),
                    NoEmptyFrames && _tracking is null);
            }
            catch (SleapException ex)
            {
                Fail(ex, "OutputNotWritable");
            }
            if (writer.ResumedFrames > 0)
                WriteWarning($"Resuming the unfinished run in '{writer.PartsFolder}': {writer.ResumedFrames} frames were predicted before and are skipped." +
                    (_tracking is null ? "" : " A tracker cannot resume: all frames are tracked again when the run completes."));
        }
        bool resumed = writer is { ResumedFrames: > 0 };
        using var tracking = _tracking is not null && !resumed ? new PredictionTracking(_tracking, targets, WriteWarning) : null;
        // Labels from a labels file come back as one Labels; videos come back one Labels each, as each completes.
        bool perVideo = ParameterSetName != LabelsSet;
        var emitted = 0;
        PredictionLabelsBuilder? NewBuilder(int index) => writer is null && !Raw
            ? new PredictionLabelsBuilder(predictor.Skeleton, perVideo ? [videos[index]] : videos, NoEmptyFrames)
            : null;
        var builder = NewBuilder(0);
        string activity = $"Predicting poses ({predictor.Kind})";
        var pipeline = new PredictionPipeline(posePredictor, new PredictionPipelineOptions
        {
            BatchSize = settings.BatchSize,
            Prediction = new PredictionOptions { IncludeRaw = Raw, IncludeMaps = Raw && IncludeConfidenceMaps },
            Skip = writer is null ? null : writer.IsDone,
            Progress = p => WriteProgress(ProgressOf(activity, p)),
            VideoFailed = f => Report(f.Error, "VideoUnreadable"),
        });

        bool finished = false;
        try
        {
            var frames = tracking is { UsesImage: true }
                ? pipeline.RunWithImages(targets, StopToken)
                : pipeline.Run(targets, StopToken).Select(p => new PredictedFrame(p, null));
            foreach (var frame in frames)
            {
                if (tracking is null) Keep(frame.Prediction);
                else foreach (var tracked in tracking.Track(frame.Prediction, frame.Image)) Keep(tracked);
            }
            if (tracking is not null) foreach (var tracked in tracking.Finish()) Keep(tracked);
            finished = true;
            if (builder is not null && perVideo) EmitVideosUpTo(videos.Count);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the frames predicted so far are kept as a part below; the output file is not touched.
        }
        catch (SleapException ex)
        {
            Fail(ex, "PredictionFailed");   // the finally below keeps the frames done
        }
        finally
        {
            // A stopped run keeps the frames its tracker still held for the final pass: the resumed run re-tracks them.
            if (!finished && writer is not null && tracking is not null) foreach (var held in tracking.Abandon()) writer.Add(held);
            if (!finished) Suspend(writer);
            WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
        if (!finished) return;
        WriteVerbose(pipeline.Statistics.ToString());

        var provenance = PredictionProvenance.Build(predictor, settings, MyInvocation.Line, DataPath(targets), outputPath, start, DateTime.Now, ExtraArgs());
        try
        {
            if (writer is not null && _tracking is not null && resumed)
            {
                // The tracker of the interrupted run is gone: the whole run is tracked again, in memory, before it is written.
                var written = writer.CompleteInMemory(provenance, Retrack);
                if (PassThru) WriteObject(written);
            }
            else if (writer is not null)
            {
                // A tracked run keeps its empty frames in the parts (for a resumed run to re-track); -NoEmptyFrames drops them here.
                writer.Complete(provenance, dropEmptyFrames: NoEmptyFrames);
                if (PassThru) WriteObject(LabelsReader.Read(outputPath!));
            }
            else if (builder is not null && !perVideo)
            {
                WriteObject(builder.Finish(provenance));
            }
        }
        catch (SleapException ex)
        {
            Fail(ex, "OutputNotWritable");
        }

        // One prediction, tracked when tracking: into the output file, the labels, or the pipeline (-Raw).
        void Keep(FramePrediction prediction)
        {
            writer?.Add(prediction);
            if (builder is not null && perVideo) EmitVideosUpTo(videos.IndexOf(prediction.Video));
            builder?.Add(prediction);
            if (Raw) WriteObject(new RawFrame(prediction));
        }

        // Emits the Labels of the videos before videos[next] (frames come video by video), each with its own provenance.
        void EmitVideosUpTo(int next)
        {
            while (emitted < next)
            {
                var video = videos[emitted];
                var done = builder!.Finish(PredictionProvenance.Build(predictor, settings, MyInvocation.Line, video.ResolvedPath ?? video.Filename,
                    null, start, DateTime.Now, ExtraArgs()));
                emitted++;
                if (emitted < videos.Count) builder = NewBuilder(emitted);
                WriteObject(done);
            }
        }
    }

    /// <summary>Tracks a resumed run again in one go, before its merged file is written (empty frames dropped with -NoEmptyFrames).</summary>
    private void Retrack(Labels merged)
    {
        WriteVerbose($"Tracking the {merged.LabeledFrames.Count} frames of the resumed run again ({Tracker}).");
        PredictionTracking.Retrack(merged, _tracking!, NoEmptyFrames, WriteWarning, StopToken);
    }

    private void Suspend(ResumableSlpWriter? writer)
    {
        if (writer is null) return;
        writer.Suspend();
        WriteVerbose($"Stopped: the frames predicted so far are in '{writer.PartsFolder}'. Run the same command again to continue.");
    }

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

    /// <summary>What identifies this run for a resume: models, settings, inputs and frames (not how the command was typed).</summary>
    private string RunDescription(Predictor predictor, InferenceSettings settings, List<PredictionTarget> targets)
    {
        var run = new Dictionary<string, object?>
        {
            ["models"] = predictor.Models.Select(m => (object?)m.SourcePath).ToList(),
            ["settings"] = PredictionProvenance.SettingsArgs(settings),
            ["targets"] = targets.Select(t => (object?)t.ToString()).ToList(),
            ["no_empty_frames"] = NoEmptyFrames.IsPresent,
        };
        // A tracked run's parts hold tracks and empty frames: only the same tracking may resume it.
        if (_tracking is not null) run["tracking"] = TrackingProvenance.Args(_tracking);
        return JsonValues.FromPlain(run)!.ToJsonString();
    }

    private Dictionary<string, object?> ExtraArgs() => new(TrackingProvenance.Args(_tracking))
    {
        ["frames"] = MyInvocation.BoundParameters.ContainsKey(nameof(Frames)) ? FrameList.Format(FramesToPredict()!) : null,
        ["only_suggested_frames"] = OnlySuggestedFrames.IsPresent,
        ["no_empty_frames"] = NoEmptyFrames.IsPresent,
        ["raw"] = Raw.IsPresent,
    };

    private string DataPath(List<PredictionTarget> targets)
    {
        if (ParameterSetName == LabelsSet)
        {
            object value = Unwrapped(Labels);
            return value is Labels labels ? labels.SourcePath ?? "" : ResolveOutputPath(value.ToString()!);
        }
        return string.Join("; ", targets.Select(t => t.Video.ResolvedPath ?? t.Video.Filename).Distinct());
    }

    private static ProgressRecord ProgressOf(string activity, PredictionProgress progress)
    {
        string of = progress.TotalFrames is long total ? $" of {total}" : "";
        var record = new ProgressRecord(ProgressId, activity,
            $"{progress.FramesDone}{of} frames, {progress.FramesPerSecond:0.0} frames/s ({Path.GetFileName(progress.CurrentVideo)})")
        {
            PercentComplete = progress.PercentComplete,
        };
        if (progress.Remaining is { } left) record.SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds);
        return record;
    }
}
