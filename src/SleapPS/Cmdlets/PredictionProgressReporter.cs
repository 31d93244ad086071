using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Inference.Runs;

namespace SleapPS.Cmdlets;

/// <summary>
/// Invoke-SleapPredict's progress in the form asked for (docs/design/batch-runs.md §5): PowerShell progress records,
/// JSON lines (to the console's standard output, past PowerShell's streams, or to a log file), or nothing.
/// </summary>
internal sealed class PredictionProgressReporter : IDisposable
{
    private const int ProgressId = 41;

    private readonly Cmdlet _cmdlet;
    private readonly ProgressReporting _mode;
    private readonly string _activity;
    private readonly bool _batch;
    private readonly JsonProgressWriter? _json;
    private readonly TextWriter? _log;

    /// <param name="logPath">With Json: the file to append the lines to; null for standard output.</param>
    /// <param name="batch">Name the video's position in the activity (video 2 of 3).</param>
    public PredictionProgressReporter(Cmdlet cmdlet, ProgressReporting mode, string activity, string? logPath, bool batch)
    {
        _cmdlet = cmdlet;
        _mode = mode;
        _activity = activity;
        _batch = batch;
        if (mode != ProgressReporting.Json) return;
        if (logPath is not null)
        {
            // Shared for reading, so that `tail -f` or Get-Content -Wait can follow it.
            _log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
        // Console.Out, not WriteObject or the information stream: the lines must not mix with the objects a script
        // captures, and `pwsh -File` must print them as they come, one per line (docs/design/batch-runs.md §5).
        _json = new JsonProgressWriter(_log ?? Console.Out);
    }

    /// <summary>One report of the pipeline.</summary>
    public void Report(PredictionProgress progress, string video, int videoNumber, int videoCount)
    {
        switch (_mode)
        {
            case ProgressReporting.Rich:
                _cmdlet.WriteProgress(RecordOf(progress, video, videoNumber, videoCount));
                break;
            case ProgressReporting.Json:
                _json!.Report(progress, video, videoNumber, videoCount);
                break;
        }
    }

    /// <summary>The parts being merged into the output file at the end of the run.</summary>
    public void Merging(int merged, int total, string outputPath)
    {
        if (_mode == ProgressReporting.Rich)
            _cmdlet.WriteProgress(new ProgressRecord(ProgressId, $"Writing '{Path.GetFileName(outputPath)}'", $"{merged} of {total} parts merged")
            {
                PercentComplete = total == 0 ? 100 : merged * 100 / total,
            });
    }

    /// <summary>A video is done: its last report is written if it was not.</summary>
    public void VideoDone() => _json?.Flush();

    /// <summary>The run is done (or stopped): the progress bar goes away.</summary>
    public void Complete()
    {
        _json?.Flush();
        if (_mode == ProgressReporting.Rich)
            _cmdlet.WriteProgress(new ProgressRecord(ProgressId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    public void Dispose() => _log?.Dispose();

    /// <summary>The 1-based position of a video among the run's, by the filename progress reports carry.</summary>
    public static int NumberOf(IReadOnlyList<Video> videos, string filename)
    {
        for (int i = 0; i < videos.Count; i++)
            if (videos[i].Filename == filename) return i + 1;
        return 1;
    }

    private ProgressRecord RecordOf(PredictionProgress progress, string video, int videoNumber, int videoCount)
    {
        string of = progress.TotalFrames is long total ? $" of {total}" : "";
        string activity = _batch ? $"{_activity}, video {videoNumber} of {videoCount}" : _activity;
        var record = new ProgressRecord(ProgressId, activity,
            $"{progress.FramesDone}{of} frames, {progress.FramesPerSecond:0.0} frames/s ({Path.GetFileName(video)})")
        {
            PercentComplete = progress.PercentComplete,
        };
        if (progress.Remaining is { } left) record.SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds);
        return record;
    }
}
