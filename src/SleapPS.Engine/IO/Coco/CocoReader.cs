using System.Text.Json;
using System.Text.Json.Nodes;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.IO.Coco;

/// <summary>
/// Reads COCO keypoints JSON (docs/design/file-formats.md §12): categories with keypoints become skeletons,
/// annotations with keypoints become instances (predicted when they carry a score), images become frames.
/// An image's frame comes from its <c>video</c> and <c>frame_idx</c> when the file has them (files this
/// module writes); otherwise images of one size form one image-sequence video, in file order, as sleap-io reads them.
/// </summary>
public static class CocoReader
{
    /// <summary>Whether the JSON object's top level has COCO's three lists (images, annotations, categories).</summary>
    public static bool IsCoco(JsonObject root) =>
        root["images"] is JsonArray && root["annotations"] is JsonArray && root["categories"] is JsonArray;

    /// <exception cref="SleapException">The file is missing, not JSON, lacks a COCO list, or has an annotation that
    /// does not fit its category or image (InvalidData, naming the field).</exception>
    public static Labels Read(string path, LabelsReadOptions? options = null)
    {
        string fullPath = LabelsFileChecks.RequireFile(path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(fullPath)) as JsonObject
                ?? throw Invalid(fullPath, "its JSON is not an object");
        }
        catch (JsonException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"Cannot read '{fullPath}' as COCO keypoints: it is not valid JSON ({ex.Message}).", fullPath, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{fullPath}': {ex.Message}", fullPath, ex);
        }
        var labels = Read(root, fullPath);
        VideoPathResolver.ResolveAll(labels, options);
        return labels;
    }

    private static Labels Read(JsonObject root, string path)
    {
        foreach (string list in new[] { "images", "annotations", "categories" })
            if (root[list] is not JsonArray)
                throw Invalid(path, $"it has no '{list}' list, which every COCO file has");

        var labels = new Labels { SourcePath = path };
        var skeletons = ReadCategories((JsonArray)root["categories"]!, path, labels);
        var tracks = ReadTracks(root["tracks"] as JsonArray, labels);
        var frames = ReadImages((JsonArray)root["images"]!, path, labels);

        foreach (var (annotation, index) in ((JsonArray)root["annotations"]!).Select((a, i) => (a as JsonObject, i)))
        {
            string where = $"annotations[{index}]";
            if (annotation is null) throw Invalid(path, $"{where} is not an object");
            if (annotation["keypoints"] is not JsonArray keypoints || keypoints.Count == 0) continue; // boxes and masks are not poses
            long categoryId = RequireLong(annotation, "category_id", where, path);
            if (!skeletons.TryGetValue(categoryId, out var skeleton))
                throw Invalid(path, $"{where}.category_id is {categoryId}, which no category with keypoints has");
            long imageId = RequireLong(annotation, "image_id", where, path);
            if (!frames.TryGetValue(imageId, out var frame))
                throw Invalid(path, $"{where}.image_id is {imageId}, which no image has");
            frame.Instances.Add(ReadInstance(annotation, keypoints, skeleton, TrackOf(annotation, tracks, labels), where, path));
        }
        return labels;
    }

    private static Dictionary<long, Skeleton> ReadCategories(JsonArray categories, string path, Labels labels)
    {
        var skeletons = new Dictionary<long, Skeleton>();
        for (int c = 0; c < categories.Count; c++)
        {
            string where = $"categories[{c}]";
            if (categories[c] is not JsonObject category) throw Invalid(path, $"{where} is not an object");
            if (category["keypoints"] is not JsonArray keypoints || keypoints.Count == 0) continue;
            long id = RequireLong(category, "id", where, path);
            var names = keypoints.Select((k, i) => JsonRead.GetString(k) ?? throw Invalid(path, $"{where}.keypoints[{i}] is not a name")).ToList();
            var skeleton = new Skeleton(JsonRead.GetString(category["name"]) ?? $"skeleton_{id}", names.Select(n => new Node(n)));
            foreach (var (edge, e) in (category["skeleton"] as JsonArray ?? []).Select((edge, e) => (edge, e)))
            {
                if (edge is not JsonArray { Count: 2 } pair || !JsonRead.TryGetLong(pair[0], out long source) || !JsonRead.TryGetLong(pair[1], out long destination))
                    throw Invalid(path, $"{where}.skeleton[{e}] is {JsonRead.Describe(edge)}, not a pair of keypoint numbers");
                if (source < 1 || source > names.Count || destination < 1 || destination > names.Count)
                    throw Invalid(path, $"{where}.skeleton[{e}] is [{source}, {destination}], but keypoints are numbered 1 to {names.Count} (COCO edges are 1-based)");
                skeleton.Edges.Add(new Edge(skeleton.Nodes[(int)source - 1], skeleton.Nodes[(int)destination - 1]));
            }
            if (!skeletons.TryAdd(id, skeleton)) throw Invalid(path, $"{where}.id {id} is used by another category");
            labels.Skeletons.Add(skeleton);
        }
        return skeletons;
    }

    private static Dictionary<long, Track> ReadTracks(JsonArray? tracks, Labels labels)
    {
        var byId = new Dictionary<long, Track>();
        foreach (var entry in tracks ?? [])
        {
            if (entry is not JsonObject track || !JsonRead.TryGetLong(track["id"], out long id) || JsonRead.GetString(track["name"]) is not { } name) continue;
            var made = new Track(name, JsonRead.GetInt(track["spawned_on"]) ?? 0);
            if (byId.TryAdd(id, made)) labels.Tracks.Add(made);
        }
        return byId;
    }

    /// <summary>sleap-io's rule: the track is <c>attributes.object_id</c>, else <c>track_id</c>, else <c>instance_id</c>.</summary>
    private static Track? TrackOf(JsonObject annotation, Dictionary<long, Track> tracks, Labels labels)
    {
        JsonNode? idNode = (annotation["attributes"] as JsonObject)?["object_id"] ?? annotation["track_id"] ?? annotation["instance_id"];
        if (!JsonRead.TryGetLong(idNode, out long id)) return null;
        if (!tracks.TryGetValue(id, out var track))
        {
            tracks[id] = track = new Track($"track_{id}");
            labels.Tracks.Add(track);
        }
        return track;
    }

    private static Dictionary<long, LabeledFrame> ReadImages(JsonArray images, string path, Labels labels)
    {
        var frames = new Dictionary<long, LabeledFrame>();
        var videosByName = new Dictionary<string, Video>(StringComparer.Ordinal);
        var sequencesBySize = new Dictionary<(long, long), Video>();
        for (int i = 0; i < images.Count; i++)
        {
            string where = $"images[{i}]";
            if (images[i] is not JsonObject image) throw Invalid(path, $"{where} is not an object");
            long id = RequireLong(image, "id", where, path);
            Video video;
            long frameIndex;
            if (JsonRead.GetString(image["video"]) is { } videoName && JsonRead.TryGetLong(image["frame_idx"], out frameIndex))
            {
                if (!videosByName.TryGetValue(videoName, out video!))
                {
                    videosByName[videoName] = video = new Video(videoName, VideoJson.BackendOf(videoName));
                    labels.Videos.Add(video);
                }
            }
            else
            {
                string fileName = JsonRead.GetString(image["file_name"]) ?? throw Invalid(path, $"{where} has no 'file_name'");
                var size = (JsonRead.TryGetLong(image["height"], out long h) ? h : 0, JsonRead.TryGetLong(image["width"], out long w) ? w : 0);
                if (!sequencesBySize.TryGetValue(size, out video!))
                {
                    sequencesBySize[size] = video = new Video(fileName, VideoBackend.ImageSequence);
                    if (size.Item1 > 0) { video.Height = (int)size.Item1; video.Width = (int)size.Item2; }
                    labels.Videos.Add(video);
                }
                frameIndex = video.ImageFilenames.Count;
                video.ImageFilenames.Add(fileName);
                video.FrameCount = video.ImageFilenames.Count;
            }
            if (JsonRead.TryGetLong(image["width"], out long width) && width > 0 && JsonRead.TryGetLong(image["height"], out long height) && height > 0)
            {
                video.Width ??= (int)width;
                video.Height ??= (int)height;
            }
            var frame = new LabeledFrame(video, frameIndex);
            if (!frames.TryAdd(id, frame)) throw Invalid(path, $"{where}.id {id} is used by another image");
            labels.LabeledFrames.Add(frame);
        }
        return frames;
    }

    private static Instance ReadInstance(JsonObject annotation, JsonArray keypoints, Skeleton skeleton, Track? track, string where, string path)
    {
        int nodes = skeleton.Nodes.Count;
        if (keypoints.Count != 3 * nodes)
            throw Invalid(path, $"{where}.keypoints holds {keypoints.Count} numbers, but its category '{skeleton.Name}' has {nodes} keypoints, so it needs {3 * nodes} (x, y, v for each)");
        var scores = annotation["keypoint_scores"] as JsonArray;
        if (scores is not null && scores.Count != nodes)
            throw Invalid(path, $"{where}.keypoint_scores holds {scores.Count} numbers, but its category '{skeleton.Name}' has {nodes} keypoints");
        bool predicted = annotation.ContainsKey("score");
        var points = new Point[nodes];
        for (int n = 0; n < nodes; n++)
        {
            if (!JsonRead.TryGetDouble(keypoints[3 * n], out double x) || !JsonRead.TryGetDouble(keypoints[3 * n + 1], out double y) || !JsonRead.TryGetLong(keypoints[3 * n + 2], out long v))
                throw Invalid(path, $"{where}.keypoints[{3 * n}..{3 * n + 2}] ({skeleton.Nodes[n].Name}) is not three numbers");
            double score = scores is not null && JsonRead.TryGetDouble(scores[n], out double s) ? s : double.NaN;
            points[n] = v switch
            {
                0 => predicted ? Point.MissingPredicted with { Score = scores is null ? 0 : score } : Point.Missing,
                1 => new Point(x, y, Visible: false, Score: score),
                2 => new Point(x, y, Visible: true, Score: score),
                _ => throw Invalid(path, $"{where}.keypoints visibility of '{skeleton.Nodes[n].Name}' is {v}; COCO allows 0, 1 and 2"),
            };
        }
        if (!predicted) return new Instance(skeleton, points, track);
        return new PredictedInstance(skeleton, points,
            JsonRead.TryGetDouble(annotation["score"], out double instanceScore) ? instanceScore : double.NaN, track,
            JsonRead.TryGetDouble(annotation["tracking_score"], out double trackingScore) ? trackingScore : 0);
    }

    private static long RequireLong(JsonObject element, string field, string where, string path) =>
        JsonRead.TryGetLong(element[field], out long value) ? value : throw Invalid(path, $"{where}.{field} is {JsonRead.Describe(element[field])}, not a whole number");

    private static SleapException Invalid(string path, string problem) =>
        new(SleapErrorKind.InvalidData, $"Cannot read '{path}' as COCO keypoints: {problem}.", path);
}
