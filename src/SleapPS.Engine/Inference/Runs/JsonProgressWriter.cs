using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SleapPS.Engine.Inference.Pipeline;

namespace SleapPS.Engine.Inference.Runs;

/// <summary>
/// Progress for programs that watch a run, as SLEAP's <c>progress_reporting="json"</c> prints it
/// (docs/design/batch-runs.md §5): one JSON object per line, at most one per <see cref="Interval"/>, with SLEAP's keys
/// <c>n_processed</c>, <c>n_total</c>, <c>elapsed</c>, <c>rate</c> and <c>eta</c> and ours: <c>video</c>,
/// <c>video_number</c>, <c>video_count</c>. Unlike SLEAP, the last report of each video is always written, so a short
/// video still leaves a line that says it finished.
/// </summary>
public sealed class JsonProgressWriter
{
    /// <summary>SLEAP's report rate: twice a second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(0.5);

    private readonly TextWriter _output;
    private readonly Stopwatch _sinceLast = new();
    private (PredictionProgress Progress, string Video, int Number, int Count)? _pending;

    public JsonProgressWriter(TextWriter output, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Interval = interval ?? DefaultInterval;
    }

    public TimeSpan Interval { get; }

    /// <summary>Lines written so far.</summary>
    public int LinesWritten { get; private set; }

    /// <summary>Takes one report; writes it when <see cref="Interval"/> has passed since the last line.</summary>
    public void Report(PredictionProgress progress, string video, int videoNumber, int videoCount)
    {
        _pending = (progress, video, videoNumber, videoCount);
        if (_sinceLast.IsRunning && _sinceLast.Elapsed < Interval) return;
        WritePending();
    }

    /// <summary>Writes the last report taken, if it was not written yet: call when a video ends.</summary>
    public void Flush() => WritePending();

    private void WritePending()
    {
        if (_pending is not { } report) return;
        _pending = null;
        _output.WriteLine(Line(report.Progress, report.Video, report.Number, report.Count));
        _output.Flush();
        LinesWritten++;
        _sinceLast.Restart();
    }

    /// <summary>One line: {"n_processed":20,"n_total":20,"elapsed":1.52,"rate":13.2,"eta":0,"video":"...","video_number":1,"video_count":3}.</summary>
    public static string Line(PredictionProgress progress, string video, int videoNumber, int videoCount)
    {
        using var text = new MemoryStream();
        using (var json = new Utf8JsonWriter(text))
        {
            json.WriteStartObject();
            json.WriteNumber("n_processed", progress.FramesDone);
            if (progress.TotalFrames is long total) json.WriteNumber("n_total", total);
            else json.WriteNull("n_total");
            json.WriteNumber("elapsed", Math.Round(progress.Elapsed.TotalSeconds, 3));
            json.WriteNumber("rate", Math.Round(progress.FramesPerSecond, 3));
            if (progress.Remaining is { } left) json.WriteNumber("eta", Math.Round(left.TotalSeconds, 3));
            else json.WriteNull("eta");
            json.WriteString("video", video);
            json.WriteNumber("video_number", videoNumber);
            json.WriteNumber("video_count", videoCount);
            json.WriteString("time", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }
}
