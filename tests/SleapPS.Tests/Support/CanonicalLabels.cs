using System.Text.Json.Nodes;
using SleapPS.Engine.Data;

namespace SleapPS.Tests.Support;

/// <summary>
/// Our labels in the canonical JSON shape that tests/js/canonical-labels.mjs prints for what
/// sleap-io.js loaded, and a comparison of two such documents that names the first difference.
/// </summary>
public static class CanonicalLabels
{
    public static JsonObject From(Labels labels)
    {
        var location = new Dictionary<Instance, (int Frame, int Instance)>(ReferenceEqualityComparer.Instance);
        for (int f = 0; f < labels.LabeledFrames.Count; f++)
            for (int i = 0; i < labels.LabeledFrames[f].Instances.Count; i++)
                location[labels.LabeledFrames[f].Instances[i]] = (f, i);

        var frames = new JsonArray();
        foreach (var frame in labels.LabeledFrames)
        {
            var instances = new JsonArray();
            foreach (var instance in frame.Instances)
            {
                var predicted = instance as PredictedInstance;
                var points = new JsonArray();
                foreach (var p in instance.Points)
                    points.Add(new JsonArray(Number(p.X), Number(p.Y), p.Visible, predicted is null ? null : Number(p.Score)));
                JsonNode? fromPredicted = instance.FromPredicted is { } source && location.TryGetValue(source, out var at)
                    ? new JsonArray(at.Frame, at.Instance) : null;
                instances.Add(new JsonObject
                {
                    ["type"] = predicted is null ? "user" : "predicted",
                    ["skeleton"] = labels.Skeletons.IndexOf(instance.Skeleton),
                    ["track"] = instance.Track?.Name,
                    ["score"] = predicted is null ? null : Number(predicted.Score),
                    ["tracking_score"] = predicted is null ? null : Number(predicted.TrackingScore),
                    ["from_predicted"] = fromPredicted,
                    ["points"] = points,
                });
            }
            frames.Add(new JsonObject
            {
                ["video"] = labels.Videos.IndexOf(frame.Video),
                ["frame_idx"] = frame.FrameIndex,
                ["instances"] = instances,
            });
        }

        return new JsonObject
        {
            // sleap-io.js gives an image-sequence video's filename as the list of its images.
            ["videos"] = new JsonArray(labels.Videos.Select(v => (JsonNode)new JsonObject
            {
                ["filename"] = v.ImageFilenames.Count > 0
                    ? new JsonArray(v.ImageFilenames.Select(f => (JsonNode)JsonValue.Create(f)).ToArray())
                    : JsonValue.Create(v.Filename),
            }).ToArray()),
            ["skeletons"] = new JsonArray(labels.Skeletons.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["nodes"] = new JsonArray(s.Nodes.Select(n => (JsonNode)JsonValue.Create(n.Name)).ToArray()),
                ["edges"] = new JsonArray(s.Edges.Select(e => (JsonNode)new JsonArray(e.Source.Name, e.Destination.Name)).ToArray()),
                ["symmetries"] = new JsonArray(s.Symmetries
                    .Select(y => (JsonNode)new JsonArray(new[] { y.First.Name, y.Second.Name }.Order(StringComparer.Ordinal).Select(n => (JsonNode)JsonValue.Create(n)).ToArray()))
                    .ToArray()),
            }).ToArray()),
            ["tracks"] = new JsonArray(labels.Tracks.Select(t => (JsonNode)JsonValue.Create(t.Name)).ToArray()),
            ["suggestions"] = new JsonArray(labels.Suggestions.Select(s => (JsonNode)new JsonObject
            {
                ["video"] = labels.Videos.IndexOf(s.Video),
                ["frame_idx"] = s.FrameIndex,
                ["group"] = s.Group,
            }).ToArray()),
            ["labeled_frames"] = frames,
        };
    }

    /// <summary>
    /// Sorts each skeleton's edges by (source, destination) name. SLEAP orders a skeleton's edges by
    /// insertion (edge_insert_idx), sleap-io.js by their order in the file's link list: the same
    /// edges, in another order.
    /// </summary>
    public static JsonNode WithSortedEdges(JsonNode document)
    {
        var copy = document.DeepClone();
        foreach (var skeleton in copy["skeletons"]!.AsArray())
        {
            var sorted = skeleton!["edges"]!.AsArray()
                .Select(e => e!.DeepClone())
                .OrderBy(e => e[0]!.GetValue<string>(), StringComparer.Ordinal)
                .ThenBy(e => e[1]!.GetValue<string>(), StringComparer.Ordinal)
                .ToArray();
            skeleton["edges"] = new JsonArray(sorted);
        }
        return copy;
    }

    /// <summary>
    /// Asserts that every key of <paramref name="ours"/> has an equal value in <paramref name="theirs"/>
    /// (extra keys in theirs are ignored; numbers compare as doubles, null == null). Keys listed in
    /// <paramref name="ignore"/> are skipped wherever they occur.
    /// </summary>
    public static void AssertSame(JsonNode? ours, JsonNode? theirs, string path = "$", params string[] ignore)
    {
        switch (ours)
        {
            case null:
                Assert.True(theirs is null, $"{path}: expected null, got {theirs?.ToJsonString()}");
                break;
            case JsonObject obj:
                Assert.True(theirs is JsonObject, $"{path}: expected an object, got {theirs?.ToJsonString()}");
                foreach (var (key, value) in obj)
                    if (!ignore.Contains(key))
                        AssertSame(value, theirs![key], $"{path}.{key}", ignore);
                break;
            case JsonArray array:
                var other = Assert.IsType<JsonArray>(theirs);
                Assert.True(array.Count == other.Count, $"{path}: expected {array.Count} elements, got {other.Count}");
                for (int i = 0; i < array.Count; i++)
                    AssertSame(array[i], other[i], $"{path}[{i}]", ignore);
                break;
            default:
                var value1 = ours.AsValue();
                Assert.True(theirs is JsonValue, $"{path}: expected {ours.ToJsonString()}, got {theirs?.ToJsonString()}");
                if (value1.TryGetValue<double>(out var number) || double.TryParse(ours.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out number))
                {
                    double theirNumber = double.Parse(theirs!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(number == theirNumber, $"{path}: expected {number:R}, got {theirNumber:R}");
                }
                else
                {
                    Assert.True(ours.ToJsonString() == theirs!.ToJsonString(), $"{path}: expected {ours.ToJsonString()}, got {theirs.ToJsonString()}");
                }
                break;
        }
    }

    private static JsonNode? Number(double value) => double.IsNaN(value) ? null : JsonValue.Create(value);
}
