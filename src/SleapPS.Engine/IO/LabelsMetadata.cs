using System.Text.Json.Nodes;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.IO;

/// <summary>
/// Fills labels from SLEAP's top-level labels dictionary (docs/design/file-formats.md §3): nodes, skeletons, videos,
/// tracks, suggestions and provenance. Shared by the .slp and the legacy JSON readers.
/// </summary>
internal static class LabelsMetadata
{
    /// <param name="videos">Elements of /videos_json, or null to use the dictionary's own "videos" list (likewise tracks, suggestions).</param>
    /// <returns>The global node list, which point dictionaries of JSON labels index into.</returns>
    public static List<Node> Apply(JsonObject metadata, Labels labels, List<JsonNode?>? videos = null, List<JsonNode?>? tracks = null, List<JsonNode?>? suggestions = null)
    {
        var nodes = Items(metadata["nodes"]).Select(ReadNode).ToList();
        foreach (JsonNode? skeleton in Items(metadata["skeletons"]))
            labels.Skeletons.Add(SkeletonJson.Decode(skeleton ?? throw new InvalidDataException("A skeleton entry is null."), nodes));

        foreach (JsonNode? entry in videos ?? Items(metadata["videos"]))
        {
            Video video = VideoJson.Decode(entry as JsonObject ?? throw new InvalidDataException($"A video entry is not an object: {JsonRead.Describe(entry)}."));
            // "." means the labels file itself holds the frames (a .pkg.slp); SLEAP substitutes its path.
            if (video.Filename == "." && labels.SourcePath is not null) video.Filename = labels.SourcePath;
            labels.Videos.Add(video);
        }

        foreach (JsonNode? entry in tracks ?? Items(metadata["tracks"]))
            labels.Tracks.Add(ReadTrack(entry));

        foreach (JsonNode? entry in suggestions ?? Items(metadata["suggestions"]))
            labels.Suggestions.Add(ReadSuggestion(entry, labels.Videos));

        if (metadata["provenance"] is JsonObject provenance)
            foreach (var (key, value) in provenance)
                labels.Provenance[key] = JsonValues.ToPlain(value);
        return nodes;
    }

    private static IEnumerable<JsonNode?> Items(JsonNode? list) => list as JsonArray ?? (IEnumerable<JsonNode?>)[];

    private static Node ReadNode(JsonNode? entry) =>
        new(JsonRead.GetString((entry as JsonObject)?["name"]) ?? JsonRead.GetString(entry)
            ?? throw new InvalidDataException($"A node entry has no name: {JsonRead.Describe(entry)}."));

    /// <summary>A track, stored as [spawned_on, "name"] in .slp files and as {"spawned_on":..,"name":..} in JSON labels.</summary>
    private static Track ReadTrack(JsonNode? entry)
    {
        (JsonNode? spawned, JsonNode? name) = entry switch
        {
            JsonArray { Count: >= 2 } a => (a[0], a[1]),
            JsonObject o => (o["spawned_on"], o["name"]),
            _ => throw new InvalidDataException($"A track entry is neither [spawned_on, name] nor an object: {JsonRead.Describe(entry)}."),
        };
        return new Track(JsonRead.GetString(name) ?? throw new InvalidDataException($"A track entry has no name: {JsonRead.Describe(entry)}."),
            JsonRead.GetInt(spawned) ?? 0);
    }

    private static SuggestionFrame ReadSuggestion(JsonNode? entry, List<Video> videos)
    {
        JsonNode? videoRef = entry?["video"];
        // SLEAP writes the video index as a string ("0").
        int index = JsonRead.GetInt(videoRef) ?? (int.TryParse(JsonRead.GetString(videoRef), out int parsed) ? parsed : -1);
        if (index < 0 || index >= videos.Count)
            throw new InvalidDataException($"A suggestion refers to video {JsonRead.Describe(videoRef)}, but the file lists {videos.Count} videos.");
        if (!JsonRead.TryGetLong(entry!["frame_idx"], out long frameIndex))
            throw new InvalidDataException($"A suggestion has no frame_idx: {JsonRead.Describe(entry)}.");
        return new SuggestionFrame(videos[index], frameIndex, JsonRead.GetInt(entry["group"]));
    }
}
