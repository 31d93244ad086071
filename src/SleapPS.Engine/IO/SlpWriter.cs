using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PureHDF;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.IO;

/// <summary>
/// Writes labels as a SLEAP labels file (.slp, HDF5, <c>format_id</c> 1.2) that SLEAP 1.4, sleap-io and
/// this library read back field for field (docs/design/file-formats.md §2 to §7).
/// </summary>
public static class SlpWriter
{
    /// <summary>The format written: 1.2 = pixel-centre coordinates and <c>instances.tracking_score</c>.</summary>
    public const double FormatId = 1.2;

    private const string MetadataVersion = "2.0.0";

    // Compact like Python's json.dumps(separators=(",", ":")); non-ASCII text stays UTF-8 rather than \u escapes.
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <paramref name="labels"/> to <paramref name="path"/>, replacing any file there; the file is
    /// complete or absent. Videos, skeletons and tracks that frames refer to but the lists lack are
    /// written too (new tracks sorted by spawned-on frame then name, as SLEAP does), without changing
    /// <paramref name="labels"/>. Frames are written in <see cref="Labels.LabeledFrames"/> order.
    /// </summary>
    /// <exception cref="SleapException">An instance's point count differs from its skeleton's node
    /// count (InvalidArgument), or the file cannot be written (NotFound, WriteError).</exception>
    /// <param name="labels">The labels to write.</param>
    /// <param name="path">The .slp file.</param>
    /// <param name="storeFoundVideoPaths">Store each video's path as the file at <paramref name="path"/> will find it, as SLEAP does
    /// on save: the stored path where it still leads to the video from there, else where the video was found
    /// (<see cref="VideoPathResolver.PathToStore"/>).</param>
    public static void Write(Labels labels, string path, bool storeFoundVideoPaths = false)
    {
        var scope = ReferencedLabels.Of(labels);
        var builder = new H5FileBuilder();
        AddHeader(builder, scope, storeFoundVideoPaths ? path : null);

        var root = builder.Root;
        var tables = SlpTables.Build(scope, path);
        root["points"] = H5FileBuilder.Table(tables.Points);
        root["pred_points"] = H5FileBuilder.Table(tables.PredictedPoints);
        root["instances"] = H5FileBuilder.Table(tables.Instances);
        root["frames"] = H5FileBuilder.Table(tables.Frames);

        AtomicFile.Write(path, builder.Write);
    }

    /// <summary>
    /// Adds everything of a .slp file but its four tables (frames, instances, points, pred_points): the metadata
    /// (skeletons, provenance) and the videos, tracks and suggestions of <paramref name="scope"/>, whose lists must
    /// already hold everything the tables will refer to.
    /// </summary>
    /// <param name="videoOverrides">Video elements to write instead of a video's own (the embedded videos of a package).</param>
    internal static void AddHeader(H5FileBuilder builder, Labels scope, string? storeVideoPathsFor = null,
        IReadOnlyDictionary<Video, JsonObject>? videoOverrides = null)
    {
        var root = builder.Root;
        var globalNodeIndex = GlobalNodeIndex(scope.Skeletons);
        root["metadata"] = new H5Group
        {
            Attributes = new()
            {
                ["format_id"] = FormatId,
                ["json"] = builder.FixedLengthStringAttribute(Compact(Metadata(scope, globalNodeIndex))),
            },
        };
        root["videos_json"] = builder.FixedLengthStrings(scope.Videos.Select(v => Compact(
            videoOverrides?.GetValueOrDefault(v) ?? VideoJson.Encode(v,
                storeVideoPathsFor is null ? null : VideoPathResolver.PathToStore(v, storeVideoPathsFor)))).ToList(), chunked: true);
        root["tracks_json"] = builder.FixedLengthStrings(scope.Tracks.Select(t => Compact(new JsonArray(t.SpawnedOn, t.Name))).ToList(), chunked: true);
        root["suggestions_json"] = builder.FixedLengthStrings(scope.Suggestions.Select(s => Compact(SuggestionJson(s, scope.Videos))).ToList(), chunked: true);
    }

    /// <summary>SLEAP's top-level node list: every node of every skeleton, once, in skeleton order.</summary>
    private static Dictionary<Node, int> GlobalNodeIndex(IEnumerable<Skeleton> skeletons)
    {
        var index = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in skeletons.SelectMany(s => s.Nodes))
            index.TryAdd(node, index.Count);
        return index;
    }

    private static JsonObject Metadata(Labels scope, Dictionary<Node, int> globalNodeIndex)
    {
        // SLEAP writes the weight as the float 1.0; JsonValue.Create(1.0) would print "1".
        var weight = JsonNode.Parse("1.0")!;
        var nodes = new JsonArray();
        foreach (var node in globalNodeIndex.OrderBy(p => p.Value).Select(p => p.Key))
            nodes.Add(new JsonObject { ["name"] = node.Name, ["weight"] = weight.DeepClone() });

        var skeletons = new JsonArray();
        foreach (var skeleton in scope.Skeletons)
            skeletons.Add(SkeletonJson.Encode(skeleton, globalNodeIndex));

        // videos, tracks and suggestions live in their own datasets; the metadata keeps empty lists, as SLEAP's does.
        return new JsonObject
        {
            ["version"] = MetadataVersion,
            ["skeletons"] = skeletons,
            ["nodes"] = nodes,
            ["videos"] = new JsonArray(),
            ["tracks"] = new JsonArray(),
            ["suggestions"] = new JsonArray(),
            ["negative_anchors"] = new JsonObject(),
            ["provenance"] = JsonValues.FromPlain(scope.Provenance) ?? new JsonObject(),
        };
    }

    private static JsonObject SuggestionJson(SuggestionFrame suggestion, List<Video> videos) => new()
    {
        ["video"] = videos.IndexOf(suggestion.Video).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["frame_idx"] = suggestion.FrameIndex,
        ["group"] = suggestion.Group,
    };

    internal static string Compact(JsonNode node) => node.ToJsonString(CompactJson);
}
