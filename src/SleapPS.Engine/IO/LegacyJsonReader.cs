using System.IO.Compression;
using System.Text.Json.Nodes;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.IO;

/// <summary>
/// Reads SLEAP's deprecated JSON labels (.json, and .json.zip whose first .json entry holds them),
/// docs/design/file-formats.md §8. Coordinates are used as stored: SLEAP never shifted JSON points.
/// </summary>
public static class LegacyJsonReader
{
    /// <exception cref="SleapException">The file is missing, not JSON, not SLEAP labels, or malformed.</exception>
    public static Labels Read(string path, LabelsReadOptions? options = null)
    {
        string fullPath = LabelsFileChecks.RequireFile(path);
        Labels labels;
        try
        {
            string text = IsZip(fullPath) ? ReadFirstJsonEntry(fullPath) : File.ReadAllText(fullPath);
            if (PythonJson.Parse(text) is not JsonObject root)
                throw new InvalidDataException("Its JSON is not an object.");
            if (!root.ContainsKey("version"))
                throw new SleapException(SleapErrorKind.NotSupported,
                    $"Cannot read '{fullPath}': it has no 'version' key, so it is a pre-release LEAP JSON file, which this module does not read. Open it in SLEAP and save it as .slp.", fullPath);
            labels = new Labels { SourcePath = fullPath };
            List<Node> nodes = LabelsMetadata.Apply(root, labels);
            foreach (JsonNode? frame in root["labels"] as JsonArray ?? [])
                labels.LabeledFrames.Add(ReadFrame(frame, labels, nodes));
        }
        catch (SleapException)
        {
            throw;
        }
        // JsonNode throws InvalidOperationException for a value of the wrong kind (an indexer on a number, a string read from a list).
        catch (Exception ex) when (ex is InvalidDataException or InvalidCastException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}': it is not a valid SLEAP JSON labels file. {ex.Message} Check that it is the right file, or re-save it from SLEAP as .slp.", fullPath, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{fullPath}': {ex.Message}", fullPath, ex);
        }

        VideoPathResolver.ResolveAll(labels, options);
        return labels;
    }

    internal static bool IsZip(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic.SequenceEqual("PK\u0003\u0004"u8);
    }

    private static string ReadFirstJsonEntry(string path)
    {
        using ZipArchive archive = ZipFile.OpenRead(path);
        ZipArchiveEntry entry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException("The zip archive holds no .json file.");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static LabeledFrame ReadFrame(JsonNode? frame, Labels labels, List<Node> nodes)
    {
        if (frame is not JsonObject f) throw new InvalidDataException($"A labels entry is not an object: {JsonRead.Describe(frame)}.");
        int videoIndex = JsonRead.GetInt(f["video"]) ?? -1;
        if (videoIndex < 0 || videoIndex >= labels.Videos.Count)
            throw new InvalidDataException($"A labelled frame refers to video {JsonRead.Describe(f["video"])}, but the file lists {labels.Videos.Count} videos.");
        if (!JsonRead.TryGetLong(f["frame_idx"], out long frameIndex))
            throw new InvalidDataException($"A labelled frame has no frame_idx: {JsonRead.Describe(frame)}.");
        var result = new LabeledFrame(labels.Videos[videoIndex], frameIndex);
        foreach (JsonNode? instance in f["_instances"] as JsonArray ?? [])
            result.Instances.Add(ReadInstance(instance, labels, nodes));
        return result;
    }

    private static Instance ReadInstance(JsonNode? node, Labels labels, List<Node> nodes)
    {
        if (node is not JsonObject o) throw new InvalidDataException($"An instance is not an object: {JsonRead.Describe(node)}.");
        int skeletonIndex = JsonRead.GetInt(o["skeleton"]) ?? -1;
        if (skeletonIndex < 0 || skeletonIndex >= labels.Skeletons.Count)
            throw new InvalidDataException($"An instance refers to skeleton {JsonRead.Describe(o["skeleton"])}, but the file lists {labels.Skeletons.Count} skeletons.");
        Skeleton skeleton = labels.Skeletons[skeletonIndex];

        Track? track = null;
        if (o["track"] is not null)
        {
            int trackIndex = JsonRead.GetInt(o["track"]) ?? -1;
            if (trackIndex < 0 || trackIndex >= labels.Tracks.Count)
                throw new InvalidDataException($"An instance refers to track {JsonRead.Describe(o["track"])}, but the file lists {labels.Tracks.Count} tracks.");
            track = labels.Tracks[trackIndex];
        }

        // SLEAP tells predicted instances apart by their "score".
        bool predicted = o.ContainsKey("score");
        Point[] points = ReadPoints(o["_points"], skeleton, nodes, predicted);
        if (predicted)
        {
            double score = JsonRead.TryGetDouble(o["score"], out double s) ? s : 0.0;
            double trackingScore = JsonRead.TryGetDouble(o["tracking_score"], out double t) ? t : 0.0;
            return new PredictedInstance(skeleton, points, score, track, trackingScore);
        }
        var instance = new Instance(skeleton, points, track);
        if (o["from_predicted"] is JsonObject source && ReadInstance(source, labels, nodes) is PredictedInstance prediction)
            instance.FromPredicted = prediction;
        return instance;
    }

    /// <summary>Points keyed by global node index, only labelled nodes present; the rest stay missing.</summary>
    private static Point[] ReadPoints(JsonNode? pointsNode, Skeleton skeleton, List<Node> nodes, bool predicted)
    {
        var points = new Point[skeleton.Nodes.Count];
        Array.Fill(points, predicted ? Point.MissingPredicted : Point.Missing);
        if (pointsNode is not JsonObject byNode) return points;
        foreach (var (key, value) in byNode)
        {
            if (!int.TryParse(key, out int nodeIndex) || nodeIndex < 0 || nodeIndex >= nodes.Count)
                throw new InvalidDataException($"An instance has a point for node '{key}', but the file lists {nodes.Count} nodes.");
            int slot = skeleton.IndexOf(nodes[nodeIndex]);
            if (slot < 0)
                throw new InvalidDataException($"An instance has a point for node '{nodes[nodeIndex].Name}', which is not in skeleton '{skeleton.Name}'.");
            if (value is not JsonObject p) continue;
            points[slot] = new Point(
                JsonRead.TryGetDouble(p["x"], out double x) ? x : double.NaN,
                JsonRead.TryGetDouble(p["y"], out double y) ? y : double.NaN,
                JsonRead.GetBool(p["visible"]) ?? true,
                JsonRead.GetBool(p["complete"]) ?? false,
                predicted ? (JsonRead.TryGetDouble(p["score"], out double score) ? score : 0.0) : double.NaN);
        }
        return points;
    }
}
