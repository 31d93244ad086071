using System.Diagnostics;
using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Rendering;
using SleapPS.Engine.Frames;

namespace SleapPS.Cmdlets;

/// <summary>
/// Draws labels onto their video (points, skeleton edges, colours by track) and writes an .mp4,
/// an .avi, or PNG images. Frames stream through one at a time; the output appears only when
/// complete, and Ctrl+C leaves nothing behind.
/// </summary>
[Cmdlet(VerbsData.Export, "SleapVideo", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportSleapVideoCommand : LabelsExportCmdlet
{
    private const int ProgressActivityId = 1;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>One of the labels' Videos, or its index; by default the first video with labelled frames.</summary>
    [Parameter]
    public object? Video { get; set; }

    /// <summary>Frames to render: numbers (0..99) or ranges as text ("0-99,200,300..310"), read by <see cref="FrameList"/>; by default the first to the last labelled frame.</summary>
    [Parameter]
    public string[]? Frames { get; set; }

    /// <summary>The FourCC of the video codec; Tab completes the codecs of the output's extension (not file names).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(CodecCompleter))]
    public string? Codec { get; set; }

    [Parameter]
    public double? Fps { get; set; }

    [Parameter]
    public double MarkerSize { get; set; } = new RenderOptions().MarkerSize;

    [Parameter]
    public int LineWidth { get; set; } = new RenderOptions().LineWidth;

    [Parameter]
    public SwitchParameter ShowNodeNames { get; set; }

    [Parameter]
    public SwitchParameter ShowScores { get; set; }

    [Parameter]
    public double Scale { get; set; } = 1.0;

    protected override void ProcessRecord()
    {
        string path = ResolveOutputPath(Path);
        try
        {
            var video = ChooseVideo(InputObject);
            var frames = Frames is { Length: > 0 } ? FrameList.Parse(Frames) : null;
            var options = new RenderOptions
            {
                MarkerSize = MarkerSize, LineWidth = LineWidth, ShowNodeNames = ShowNodeNames, ShowScores = ShowScores,
                Scale = Scale, Codec = Codec, Fps = Fps,
            };
            using var job = RenderJob.Prepare(InputObject, video, path, frames, options);
            Render(job);
        }
        catch (SleapException ex)
        {
            Fail(ex, "VideoExportFailed");
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    private void Render(RenderJob job)
    {
        foreach (string output in job.OutputPaths)
            ClaimOutput(output);
        string target = job.OutputPaths.Count == 1 ? job.OutputPaths[0] : $"{job.OutputPaths[0]} ... {job.OutputPaths[^1]} ({job.OutputPaths.Count} images)";
        string frames = job.Frames.Count == 1 ? $"frame {job.Frames[0]}" : $"{job.Frames.Count} frames";
        string action = job.IsVideo
            ? $"Render {frames} of '{job.Video.Filename}' ({job.Codec}, {job.Fps:0.###} fps, {job.Width} x {job.Height})"
            : $"Render {frames} of '{job.Video.Filename}' as PNG ({job.Width} x {job.Height})";
        if (!ShouldProcess(target, action))
            return;

        WriteVerbose($"{action} to {target}.");
        var progress = new ProgressReporter(this, $"Export-SleapVideo: {System.IO.Path.GetFileName(job.OutputPaths[0])}");
        // The render checks the token before every frame.
        job.Run(Force, progress.Report, StopToken);
        progress.Complete();
        foreach (string output in job.OutputPaths)
            EmitWritten(output);
    }

    /// <summary>The -Video the user named (a Video or an index), else the first video with labelled frames.</summary>
    private Video ChooseVideo(Labels labels)
    {
        if (labels.Videos.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument, "These labels have no videos, so there is nothing to render.");
        object? chosen = Unwrapped(Video);
        switch (chosen)
        {
            case null:
                return labels.Videos.FirstOrDefault(v => labels.LabeledFrames.Any(f => ReferenceEquals(f.Video, v))) ?? labels.Videos[0];
            case Video video:
                return video;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                long index = Convert.ToInt64(chosen);
                if (index < 0 || index >= labels.Videos.Count)
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"There is no video {index}: these labels have {labels.Videos.Count} video(s), numbered 0 to {labels.Videos.Count - 1}.");
                return labels.Videos[(int)index];
            default:
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"-Video takes one of the labels' Videos or its index (0 to {labels.Videos.Count - 1}), not '{chosen}'.");
        }
    }

    /// <summary>Turns the engine's per-frame progress into progress records, a few per second.</summary>
    private sealed class ProgressReporter(Cmdlet cmdlet, string activity)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastReport = TimeSpan.MinValue;

        public void Report(RenderProgress progress)
        {
            var elapsed = _clock.Elapsed;
            bool first = progress.FramesDone == 1, last = progress.FramesDone == progress.FrameCount;
            if (!first && !last && elapsed - _lastReport < ProgressInterval) return;
            _lastReport = elapsed;
            double secondsPerFrame = elapsed.TotalSeconds / progress.FramesDone;
            cmdlet.WriteProgress(new ProgressRecord(ProgressActivityId, activity, $"Frame {progress.FramesDone} of {progress.FrameCount} (video frame {progress.FrameIndex})")
            {
                PercentComplete = (int)(100L * progress.FramesDone / progress.FrameCount),
                SecondsRemaining = (int)Math.Ceiling(secondsPerFrame * (progress.FrameCount - progress.FramesDone)),
            });
        }

        public void Complete() =>
            cmdlet.WriteProgress(new ProgressRecord(ProgressActivityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
    }
}
