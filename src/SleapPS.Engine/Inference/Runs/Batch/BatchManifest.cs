using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SleapPS.Engine.IO;

namespace SleapPS.Engine.Inference.Runs.Batch;

/// <summary>
/// The record of every video predicted into an output folder (docs/design/batch-runs.md §4):
/// <c>sleapps-manifest.json</c> and the same as <c>sleapps-manifest.csv</c>, one entry per output file, rewritten
/// (atomically) after each video, so that a scheduled task can alert on a Failed status. Several runs may share a
/// folder (a scheduled task started while the previous one still runs): each update takes the manifest's lock, reads
/// what the others wrote and changes only its own video's entry.
/// </summary>
public sealed class BatchManifest
{
    public const string JsonName = "sleapps-manifest.json";
    public const string CsvName = "sleapps-manifest.csv";
    private const string Format = "sleapps-batch-manifest";
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public BatchManifest(string outputDirectory)
    {
        JsonPath = Path.Combine(Path.GetFullPath(outputDirectory), JsonName);
        CsvPath = Path.Combine(Path.GetFullPath(outputDirectory), CsvName);
    }

    public string JsonPath { get; }

    public string CsvPath { get; }

    /// <summary>
    /// Records one video's result. A skipped video keeps the entry of the run that predicted it (with its figures);
    /// a locked video is left to the run that holds it, which records it when done.
    /// </summary>
    /// <exception cref="SleapException">WriteError when the manifest cannot be written; InUse when its lock stays held.</exception>
    public void Record(BatchVideoResult result)
    {
        if (result.Status == BatchVideoStatus.Locked) return;
        using var held = AcquireLock();
        var entries = ReadEntries();
        string key = Path.GetFileName(result.OutputPath);
        int at = entries.FindIndex(e => (string?)e["output"] == key);
        if (result.Status == BatchVideoStatus.Skipped && at >= 0 && (string?)entries[at]["status"] is "Predicted" or "Resumed")
            return;
        var entry = EntryOf(result);
        if (at >= 0) entries[at] = entry;
        else entries.Add(entry);
        Write(entries);
    }

    /// <summary>The entries of the manifest as it is on disk (none when there is none).</summary>
    public List<JsonObject> ReadEntries()
    {
        if (!File.Exists(JsonPath)) return [];
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(JsonPath)) as JsonObject;
            if (root?["videos"] is JsonArray videos)
                return videos.OfType<JsonObject>().Select(v => (JsonObject)v.DeepClone()).ToList();
        }
        catch (JsonException)
        {
            // A manifest that cannot be read (edited by hand) is rebuilt from this run's videos; the outputs are the truth.
        }
        return [];
    }

    private OutputLock AcquireLock()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return OutputLock.Acquire(JsonPath);
            }
            catch (SleapException ex) when (ex.Kind == SleapErrorKind.InUse && waited.Elapsed < LockWait)
            {
                // Another run is writing it, for a few milliseconds.
                Thread.Sleep(20);
            }
        }
    }

    private static JsonObject EntryOf(BatchVideoResult result) => new()
    {
        ["video"] = result.Video,
        ["output"] = Path.GetFileName(result.OutputPath),
        ["status"] = result.Status.ToString(),
        ["frames"] = result.Frames,
        ["resumed_frames"] = result.ResumedFrames,
        ["instances"] = result.Instances,
        ["seconds"] = Math.Round(result.Seconds, 3),
        ["frames_per_second"] = Math.Round(result.FramesPerSecond, 2),
        ["instances_per_frame"] = Math.Round(result.InstancesPerFrame, 3),
        ["unreadable_frames"] = new JsonArray(result.UnreadableFrames.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
        ["error"] = result.Error,
        ["finished"] = result.Finished.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["host"] = Environment.MachineName,
        ["pid"] = Environment.ProcessId,
    };

    private void Write(List<JsonObject> entries)
    {
        var root = new JsonObject
        {
            ["format"] = Format,
            ["version"] = 1,
            ["updated"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["videos"] = new JsonArray(entries.Select(e => (JsonNode?)e).ToArray()),
        };
        AtomicFile.Write(JsonPath, temp => File.WriteAllText(temp, root.ToJsonString(Indented)));
        AtomicFile.Write(CsvPath, temp => File.WriteAllText(temp, Csv(entries)));
    }

    private static readonly string[] CsvColumns =
        ["video", "output", "status", "frames", "resumed_frames", "instances", "seconds", "frames_per_second", "instances_per_frame", "unreadable_frames", "error", "finished"];

    private static string Csv(List<JsonObject> entries)
    {
        var text = new StringBuilder(string.Join(",", CsvColumns)).Append('\n');
        foreach (var entry in entries)
            text.Append(string.Join(",", CsvColumns.Select(c => CsvField(entry[c])))).Append('\n');
        return text.ToString();
    }

    private static string CsvField(JsonNode? value)
    {
        string text = value switch
        {
            null => "",
            JsonArray frames => string.Join(" ", frames.Select(f => f?.ToJsonString())),
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => value.ToJsonString(),
        };
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
