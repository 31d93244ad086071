using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Inference.Runs;
using SleapPS.Engine.Inference.Runs.Batch;
using SleapPS.Engine.Inference.Sharding;

namespace SleapPS.Cmdlets;

/// <summary>Invoke-SleapPredict -Shard: one shard of a run spread over machines (docs/design/sharding.md).</summary>
public sealed partial class InvokeSleapPredictCommand
{
    /// <summary>
    /// Predict only this shard's share of the videos and write its parts into -OutputDirectory: "i/n" (0-based: 0/4 to
    /// 3/4), "auto" (SLURM's array task, or a Kubernetes Indexed Job's index with SLEAPPS_SHARD_COUNT) or "auto/n".
    /// </summary>
    [Parameter(ParameterSetName = VideoSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateNotNullOrEmpty]
    public string? Shard { get; set; }

    /// <summary>How many frames a resumable output keeps in memory before it saves them as a part: what an interrupted run loses at most.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int FramesPerPart { get; set; } = ResumableSlpWriter.DefaultFramesPerPart;

    private bool IsSharded => Shard is not null;

    private void PredictShard()
    {
        string? refused = OutputPath is not null ? "-OutputPath (each shard writes parts into -OutputDirectory, and Join-SleapPrediction writes the outputs)"
            : Raw ? "-Raw (shards write parts to join, not arrays)"
            : MyInvocation.BoundParameters.ContainsKey(nameof(Frames)) ? "-Frames (a sharded run splits every frame of its videos)"
            : _tracking is not null ? $"-Tracker {Tracker} (each shard sees only its frames, so identities would break at every shard's edge: track the joined file with Start-SleapTracker)"
            : null;
        if (refused is not null)
            Fail(new SleapException(SleapErrorKind.InvalidArgument, $"-Shard cannot be used with {refused}."), "InvalidShardOptions");
        if (OutputDirectory is null)
            Fail(new SleapException(SleapErrorKind.InvalidArgument, "-Shard needs -OutputDirectory: the folder every shard writes its parts into, and Join-SleapPrediction joins them in."),
                "InvalidShardOptions");

        var shard = OrFail(() => ShardSpec.Parse(Shard!), "InvalidShard");
        string folder = ResolveOutputPath(OutputDirectory!);
        if (!Directory.Exists(folder))
            Fail(new SleapException(SleapErrorKind.NotFound, $"The output folder '{folder}' does not exist. Create it first (every shard writes into it).", folder), "OutputNotWritable");
        using var reloaded = ReloadedOnRequestedDevice(_predictor!);
        var predictor = reloaded ?? _predictor!;
        var settings = Settings(predictor);
        var videos = ShardVideos();
        if (videos.Count == 0)
            Fail(new SleapException(SleapErrorKind.NotFound, "No video was found: a sharded run needs the run's videos, the same on every shard."), "VideoNotFound");
        var template = new PredictionRunOptions
        {
            Predictor = predictor,
            Settings = settings,
            Targets = [],
            NoEmptyFrames = NoEmptyFrames,
            FramesPerPart = FramesPerPart,
            Command = MyInvocation.Line,
            ExtraArgs = ExtraArgs(),   // the shard is in the part's sleapps_shard entry, so the joined file's args are the run's
        };
        var tasks = OrFail(() => ShardTasks.For(shard, videos,
            video => Path.Combine(folder, BatchOutputNames.For(video.ResolvedPath ?? video.Filename)), ShardRun.Description(template)), "InvalidShard");
        if (tasks.Count == 0)
        {
            WriteVerbose($"Shard {shard} has no frames to predict: the run has fewer frames than shards.");
            return;
        }
        long frames = tasks.Sum(t => (long)t.Target.Frames!.Count);
        if (!ShouldProcess(folder, $"Predict shard {shard} ({frames} frames of {tasks.Count} video{(tasks.Count == 1 ? "" : "s")}) and write its parts"))
            return;

        var posePredictor = OrFail(() => PosePredictors.Create(predictor, settings), "PredictorUnavailable");
        using (posePredictor)
        {
            var run = OrFail(() => new ShardRun(posePredictor, template), "InvalidShardOptions");
            using var progress = OpenProgressReporter($"Predicting shard {shard} ({predictor.Kind})");
            var events = RunEvents(progress, tasks.Select(t => t.Video).Distinct().ToList());
            try
            {
                foreach (var result in run.Run(tasks, Force, events, StopToken))
                    ReportShardTask(result);
            }
            finally
            {
                progress.Complete();
            }
        }
    }

    /// <summary>
    /// Every video of the run, opened for its frame count. One that cannot be opened stops the shard: the plan needs every
    /// frame count, and a shard that planned without one would take frames another shard also takes.
    /// </summary>
    private List<Video> ShardVideos()
    {
        var videos = new List<Video>();
        var inputs = new List<(string Path, Video? Video)>();
        foreach (var (input, literal) in _videoInputs)
        {
            if (Unwrapped(input) is Video given) inputs.Add((given.ResolvedPath ?? given.Filename, given.IsAvailable ? given : null));
            else if (Unwrapped(input)?.ToString() is { Length: > 0 } text)
                inputs.AddRange(ResolveInputPaths(text, literal, notFound: ex => Fail(ex, "VideoNotFound")).Select(p => (p, (Video?)null)));
        }
        foreach (var input in inputs)
        {
            videos.Add(OrFail(() =>
            {
                var video = input.Video ?? FrameSources.DescribeFile(input.Path);
                if (video.FrameCount is null) using (FrameSources.Open(video)) { }   // opening a video sets its frame count
                return video;
            }, ex => ex.Kind == SleapErrorKind.NotFound ? "VideoNotFound" : "VideoUnreadable"));
        }
        return videos;
    }

    private void ReportShardTask(ShardTaskResult result)
    {
        var task = result.Task;
        string piece = $"frames {task.Part.Piece.First}-{task.Part.Piece.Last} of '{task.Video.Filename}'";
        switch (result.Status)
        {
            case ShardTaskStatus.Skipped:
                WriteVerbose($"Shard {task.Part.Shard}: {piece} already done in '{task.PartPath}' (-Force predicts it again).");
                break;
            case ShardTaskStatus.Stopped:
                WriteVerbose($"Shard {task.Part.Shard} stopped in {piece}: run it again to resume.");
                break;
            case ShardTaskStatus.Failed:
                Report(result.Error!, result.Error!.Kind == SleapErrorKind.InUse ? LockErrorId(result.Error) : "ShardPartFailed");
                return;
            default:
                WriteVerbose($"Shard {task.Part.Shard}: {piece} predicted into '{task.PartPath}' ({result.FramesPredicted} frames, {result.ResumedFrames} resumed, {result.Elapsed.TotalSeconds:0.0} s).");
                break;
        }
        if (PassThru && result.Status is ShardTaskStatus.Predicted or ShardTaskStatus.Skipped) WriteObject(ProviderItem(task.PartPath));
    }
}
