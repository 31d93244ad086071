using System.Text.Encodings.Web;
using System.Text.Json;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO.Coco;

/// <summary>
/// Writes labels as COCO keypoints JSON (docs/design/file-formats.md §12): one image per labelled frame,
/// one annotation per instance with <c>keypoints</c> <c>[x, y, v]*</c>, one category per skeleton with its
/// keypoint names and 1-based <c>skeleton</c> edges, laid out as sleap-io writes them, plus the fields that
/// let this module read the file back unchanged (each image's video and frame index, track names, scores).
/// </summary>
public static class CocoWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="labels"/> to <paramref name="path"/>; the file is complete or absent.</summary>
    /// <exception cref="SleapException">An instance's point count differs from its skeleton's node count
    /// (InvalidArgument), or the file cannot be written.</exception>
    public static void Write(Labels labels, string path)
    {
        var scope = ReferencedLabels.Of(labels);
        foreach (var frame in scope.LabeledFrames)
            foreach (var instance in frame.Instances)
                if (instance.Points.Length != instance.Skeleton.Nodes.Count)
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"Cannot write '{path}': an instance on frame {frame.FrameIndex} of '{frame.Video.Filename}' has {instance.Points.Length} points " +
                        $"but its skeleton '{instance.Skeleton.Name}' has {instance.Skeleton.Nodes.Count} nodes.", path);

        AtomicFile.Write(path, temp =>
        {
            using var stream = File.Create(temp);
            using var json = new Utf8JsonWriter(stream, Options);
            json.WriteStartObject();
            WriteImages(json, scope, path);
            WriteAnnotations(json, scope);
            WriteCategories(json, scope);
            WriteTracks(json, scope);
            json.WriteEndObject();
        });
    }

    private static void WriteImages(Utf8JsonWriter json, Labels scope, string path)
    {
        json.WriteStartArray("images");
        for (int i = 0; i < scope.LabeledFrames.Count; i++)
        {
            var frame = scope.LabeledFrames[i];
            json.WriteStartObject();
            json.WriteNumber("id", i + 1);
            json.WriteString("file_name", ImageFileName(frame));
            json.WriteNumber("width", frame.Video.Width ?? 0);
            json.WriteNumber("height", frame.Video.Height ?? 0);
            // Not COCO: where the image comes from (stored as this file finds the video, as a .slp export stores it),
            // so that reading the file back finds the same frame.
            json.WriteString("video", VideoPathResolver.PathToStore(frame.Video, path));
            json.WriteNumber("frame_idx", frame.FrameIndex);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>sleap-io's image names: the image's own name for an image sequence, else "&lt;video stem&gt;_frame_&lt;index:000000&gt;.png".</summary>
    internal static string ImageFileName(LabeledFrame frame)
    {
        var video = frame.Video;
        if (video.Backend == VideoBackend.ImageSequence && frame.FrameIndex < video.ImageFilenames.Count)
            return FileNameOf(video.ImageFilenames[(int)frame.FrameIndex]);
        string stem = Path.GetFileNameWithoutExtension(FileNameOf(video.Filename));
        return $"{stem}_frame_{frame.FrameIndex:000000}.png";
    }

    private static string FileNameOf(string path)
    {
        string normalized = path.Replace('\\', '/');
        return normalized[(normalized.LastIndexOf('/') + 1)..];
    }

    private static void WriteAnnotations(Utf8JsonWriter json, Labels scope)
    {
        var trackId = scope.Tracks.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i + 1);
        var categoryId = scope.Skeletons.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i + 1);
        json.WriteStartArray("annotations");
        int id = 0;
        for (int i = 0; i < scope.LabeledFrames.Count; i++)
        {
            foreach (var instance in scope.LabeledFrames[i].Instances)
            {
                json.WriteStartObject();
                json.WriteNumber("id", ++id);
                json.WriteNumber("image_id", i + 1);
                json.WriteNumber("category_id", categoryId[instance.Skeleton]);
                WriteKeypoints(json, instance);
                json.WriteNumber("iscrowd", 0);
                if (instance.Track is not null)
                {
                    json.WriteStartObject("attributes");
                    json.WriteNumber("object_id", trackId[instance.Track]);
                    json.WriteEndObject();
                }
                if (instance is PredictedInstance predicted)
                {
                    // COCO's results format has a score per annotation; the per-point scores are not COCO (mmpose names them so).
                    WriteNumberOrNull(json, "score", predicted.Score);
                    json.WriteStartArray("keypoint_scores");
                    foreach (var point in predicted.Points) WriteNumberOrNull(json, null, point.Score);
                    json.WriteEndArray();
                    WriteNumberOrNull(json, "tracking_score", predicted.TrackingScore);
                }
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// COCO's visibility: 0 = not labelled (written as 0, 0), 1 = labelled but not visible, 2 = labelled and visible.
    /// The bounding box and area span the labelled points, as sleap-io computes them.
    /// </summary>
    private static void WriteKeypoints(Utf8JsonWriter json, Instance instance)
    {
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        int labelled = 0;
        json.WriteStartArray("keypoints");
        foreach (var point in instance.Points)
        {
            if (double.IsNaN(point.X) || double.IsNaN(point.Y))
            {
                json.WriteNumberValue(0); json.WriteNumberValue(0); json.WriteNumberValue(0);
                continue;
            }
            json.WriteNumberValue(point.X); json.WriteNumberValue(point.Y); json.WriteNumberValue(point.Visible ? 2 : 1);
            labelled++;
            minX = Math.Min(minX, point.X); minY = Math.Min(minY, point.Y);
            maxX = Math.Max(maxX, point.X); maxY = Math.Max(maxY, point.Y);
        }
        json.WriteEndArray();
        json.WriteNumber("num_keypoints", labelled);
        json.WriteStartArray("bbox");
        if (labelled == 0) { minX = minY = maxX = maxY = 0; }
        json.WriteNumberValue(minX); json.WriteNumberValue(minY); json.WriteNumberValue(maxX - minX); json.WriteNumberValue(maxY - minY);
        json.WriteEndArray();
        json.WriteNumber("area", (maxX - minX) * (maxY - minY));
    }

    private static void WriteCategories(Utf8JsonWriter json, Labels scope)
    {
        json.WriteStartArray("categories");
        for (int i = 0; i < scope.Skeletons.Count; i++)
        {
            var skeleton = scope.Skeletons[i];
            json.WriteStartObject();
            json.WriteNumber("id", i + 1);
            json.WriteString("name", string.IsNullOrEmpty(skeleton.Name) ? $"skeleton_{i + 1}" : skeleton.Name);
            json.WriteString("supercategory", "animal");
            json.WriteStartArray("keypoints");
            foreach (var node in skeleton.Nodes) json.WriteStringValue(node.Name);
            json.WriteEndArray();
            json.WriteStartArray("skeleton");
            foreach (var (source, destination) in skeleton.EdgeIndices)
            {
                json.WriteStartArray();
                json.WriteNumberValue(source + 1);
                json.WriteNumberValue(destination + 1);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Not COCO: the track names behind <c>attributes.object_id</c>.</summary>
    private static void WriteTracks(Utf8JsonWriter json, Labels scope)
    {
        json.WriteStartArray("tracks");
        for (int i = 0; i < scope.Tracks.Count; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", i + 1);
            json.WriteString("name", scope.Tracks[i].Name);
            json.WriteNumber("spawned_on", scope.Tracks[i].SpawnedOn);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string? name, double value)
    {
        if (name is not null) json.WritePropertyName(name);
        if (double.IsFinite(value)) json.WriteNumberValue(value);
        else json.WriteNullValue();
    }
}
