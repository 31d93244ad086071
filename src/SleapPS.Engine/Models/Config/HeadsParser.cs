using System.Text.Json.Nodes;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.Models.Config;

/// <summary>
/// Reads <c>model.heads</c> (docs/design/models.md §2.4) into the heads SLEAP's <c>Model.from_config</c> builds, in the same
/// order (which is the Keras output order): confidence maps, then PAFs / class maps / class vectors, then the
/// offset refinement head when <c>offset_refinement</c> is true.
/// </summary>
internal static class HeadsParser
{
    private const double ConfmapSigmaDefault = 5.0;
    private const double PafSigmaDefault = 15.0;
    private const int OutputStrideDefault = 1;

    /// <summary>The one channel name of a centroid confidence map.</summary>
    public const string CentroidChannel = "centroid";

    public sealed record Result(
        ModelType ModelType,
        IReadOnlyList<HeadConfig> Heads,
        string? AnchorPart,
        IReadOnlyList<string> PartNames,
        IReadOnlyList<(string Source, string Destination)> PafEdges,
        IReadOnlyList<string> ClassNames);

    public static Result Read(ConfigFields fields, JsonObject model, Skeleton skeleton)
    {
        JsonObject record = fields.RequiredObject(model, "model", "heads");
        var (key, head) = fields.OneOf(record, "model.heads", "head");
        if (!ModelTypeNames.TryFromSleap(key, out ModelType type))
            throw fields.Unsupported($"model.heads.{key} is not a model type SleapPS knows ({string.Join(", ", Enum.GetValues<ModelType>().Select(ModelTypeNames.ToSleap))})");
        var reader = new Reader(fields, skeleton, "model.heads." + key);
        return type switch
        {
            ModelType.SingleInstance => reader.PartsModel(type, head, HeadKind.SingleInstanceConfmaps, hasAnchor: false),
            ModelType.Centroid => reader.Centroid(head),
            ModelType.CenteredInstance => reader.PartsModel(type, head, HeadKind.CenteredInstanceConfmaps, hasAnchor: true),
            ModelType.MultiInstance => reader.BottomUp(head),
            ModelType.MultiClassBottomUp => reader.MultiClassBottomUp(head),
            ModelType.MultiClassTopDown => reader.MultiClassTopDown(head),
            _ => throw new InvalidOperationException($"Unhandled model type {type}."),
        };
    }

    private sealed class Reader(ConfigFields fields, Skeleton skeleton, string path)
    {
        public Result PartsModel(ModelType type, JsonObject head, HeadKind kind, bool hasAnchor)
        {
            string? anchor = hasAnchor ? AnchorPart(head, path) : null;
            var (confmaps, offsets, parts) = Confmaps(head, path, kind);
            return new Result(type, WithOffsets([confmaps], offsets), anchor, parts, [], []);
        }

        public Result Centroid(JsonObject head)
        {
            string? anchor = AnchorPart(head, path);
            int stride = fields.PositiveInt(head, path, "output_stride", OutputStrideDefault);
            double sigma = fields.PositiveNumber(head, path, "sigma", ConfmapSigmaDefault);
            var confmaps = Head(HeadKind.CentroidConfmaps, stride, sigma, [CentroidChannel]);
            HeadConfig? offsets = fields.Bool(head, path, "offset_refinement", false) ? OffsetsFor(confmaps) : null;
            // A centroid model predicts no parts; its skeleton's nodes are what ground-truth instances would carry.
            return new Result(ModelType.Centroid, WithOffsets([confmaps], offsets), anchor, skeleton.NodeNames, [], []);
        }

        public Result BottomUp(JsonObject head)
        {
            var (confmaps, offsets, parts) = Confmaps(fields.RequiredObject(head, path, "confmaps"), path + ".confmaps", HeadKind.MultiInstanceConfmaps);
            string pafPath = path + ".pafs";
            JsonObject pafs = fields.RequiredObject(head, path, "pafs");
            var edges = PafEdges(pafs, pafPath, parts);
            var pafHead = Head(HeadKind.PartAffinityFields,
                fields.PositiveInt(pafs, pafPath, "output_stride", OutputStrideDefault),
                fields.PositiveNumber(pafs, pafPath, "sigma", PafSigmaDefault),
                edges.SelectMany(e => new[] { $"{e.Source}->{e.Destination}.x", $"{e.Source}->{e.Destination}.y" }).ToArray());
            return new Result(ModelType.MultiInstance, WithOffsets([confmaps, pafHead], offsets), null, parts, edges, []);
        }

        public Result MultiClassBottomUp(JsonObject head)
        {
            var (confmaps, offsets, parts) = Confmaps(fields.RequiredObject(head, path, "confmaps"), path + ".confmaps", HeadKind.MultiInstanceConfmaps);
            string classPath = path + ".class_maps";
            JsonObject classMaps = fields.RequiredObject(head, path, "class_maps");
            var classes = Classes(classMaps, classPath);
            var classHead = Head(HeadKind.ClassMaps,
                fields.PositiveInt(classMaps, classPath, "output_stride", OutputStrideDefault),
                fields.PositiveNumber(classMaps, classPath, "sigma", ConfmapSigmaDefault),
                classes);
            return new Result(ModelType.MultiClassBottomUp, WithOffsets([confmaps, classHead], offsets), null, parts, [], classes);
        }

        public Result MultiClassTopDown(JsonObject head)
        {
            string confmapPath = path + ".confmaps";
            JsonObject confmapRecord = fields.RequiredObject(head, path, "confmaps");
            string? anchor = AnchorPart(confmapRecord, confmapPath);
            var (confmaps, offsets, parts) = Confmaps(confmapRecord, confmapPath, HeadKind.CenteredInstanceConfmaps);
            string classPath = path + ".class_vectors";
            JsonObject classVectors = fields.RequiredObject(head, path, "class_vectors");
            var classes = Classes(classVectors, classPath);
            // Class vectors come from a dense layer: no map, no Gaussian; the stride is where it pools.
            var classHead = Head(HeadKind.ClassVectors,
                fields.PositiveInt(classVectors, classPath, "output_stride", OutputStrideDefault),
                double.NaN,
                classes);
            return new Result(ModelType.MultiClassTopDown, WithOffsets([confmaps, classHead], offsets), anchor, parts, [], classes);
        }

        private (HeadConfig Confmaps, HeadConfig? Offsets, IReadOnlyList<string> Parts) Confmaps(JsonObject record, string recordPath, HeadKind kind)
        {
            IReadOnlyList<string> parts = fields.OptionalNameList(record, recordPath, "part_names") ?? skeleton.NodeNames;
            foreach (string part in parts)
            {
                // Predictors place each channel's peak on the skeleton node of the same name.
                if (skeleton.IndexOf(part) < 0)
                    throw fields.Invalid($"{recordPath}.part_names names '{part}', which is not a node of the skeleton ({string.Join(", ", skeleton.NodeNames)})");
            }
            var confmaps = Head(kind,
                fields.PositiveInt(record, recordPath, "output_stride", OutputStrideDefault),
                fields.PositiveNumber(record, recordPath, "sigma", ConfmapSigmaDefault),
                parts);
            HeadConfig? offsets = fields.Bool(record, recordPath, "offset_refinement", false) ? OffsetsFor(confmaps) : null;
            return (confmaps, offsets, parts);
        }

        private string? AnchorPart(JsonObject record, string recordPath)
        {
            string? anchor = fields.OptionalString(record, recordPath, "anchor_part");
            if (anchor is not null && skeleton.IndexOf(anchor) < 0)
                throw fields.Invalid($"{recordPath}.anchor_part names '{anchor}', which is not a node of the skeleton ({string.Join(", ", skeleton.NodeNames)})");
            return anchor;
        }

        private IReadOnlyList<(string Source, string Destination)> PafEdges(JsonObject pafs, string pafPath, IReadOnlyList<string> parts)
        {
            JsonNode? value = pafs["edges"];
            // SLEAP falls back to the skeleton's edges when the config leaves them out.
            if (value is null)
            {
                var skeletonEdges = skeleton.Edges.Select(e => (e.Source.Name, e.Destination.Name)).ToList();
                if (skeletonEdges.Count == 0)
                    throw fields.Invalid($"{pafPath}.edges is not set and the skeleton has no edges, so the model has no part affinity fields to group parts with");
                return skeletonEdges;
            }
            if (value is not JsonArray array || array.Count == 0)
                throw fields.Invalid($"{pafPath}.edges must be a non-empty list of [source, destination] part names, not {ConfigFields.Describe(value)}");
            var edges = new List<(string, string)>(array.Count);
            for (int i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonArray { Count: 2 } pair
                    && JsonRead.GetString(pair[0]) is string source && parts.Contains(source)
                    && JsonRead.GetString(pair[1]) is string destination && parts.Contains(destination))
                {
                    edges.Add((source, destination));
                    continue;
                }
                throw fields.Invalid($"{pafPath}.edges[{i}] must be a pair of part names from ({string.Join(", ", parts)}), not {ConfigFields.Describe(array[i])}");
            }
            return edges;
        }

        private IReadOnlyList<string> Classes(JsonObject record, string recordPath) =>
            fields.OptionalNameList(record, recordPath, "classes")
            ?? throw fields.Invalid($"{recordPath}.classes is not set, but an identity model needs its class (track) names");

        private static HeadConfig OffsetsFor(HeadConfig confmaps) => Head(HeadKind.OffsetRefinement, confmaps.OutputStride, double.NaN,
            // Two channels per confidence map, x then y (docs/design/inference.md §4).
            confmaps.Channels.SelectMany(c => new[] { c + ".x", c + ".y" }).ToArray());

        private static IReadOnlyList<HeadConfig> WithOffsets(HeadConfig[] heads, HeadConfig? offsets) =>
            offsets is null ? heads : [.. heads, offsets];

        private static HeadConfig Head(HeadKind kind, int stride, double sigma, IReadOnlyList<string> channels) =>
            new(kind, HeadConfig.KerasNameOf(kind), stride, sigma, channels);
    }
}
