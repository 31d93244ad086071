using SleapPS.Engine.Data;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>
/// Reads <c>model_config.head_configs</c> (docs/design/sleap-nn-config.md §3): the one non-null model type, and its heads
/// in the order sleap-nn's <c>get_head</c> builds them, which is the <c>I</c> of <c>model.head_layers.I</c> in the
/// checkpoint: confidence maps first, then PAFs (bottomup), class maps (multi_class_bottomup) or class vectors
/// (multi_class_topdown). Part names, PAF edges and classes that the config leaves null are filled at training; when
/// they are still null (a config never trained) they stay null here and the heads have no channel names for them.
/// </summary>
internal static class SleapNnHeadsReader
{
    private const string Path = "model_config.head_configs";

    // Defaults of sleap-nn's head config classes.
    private const double ConfmapSigmaDefault = 5.0;
    private const double PafSigmaDefault = 15.0;
    private const int OutputStrideDefault = 1;

    public sealed record Result(
        ModelType ModelType,
        IReadOnlyList<SleapNnHead> Heads,
        IReadOnlyList<double> Sigmas,
        string? AnchorPart,
        IReadOnlyList<string>? PartNames,
        IReadOnlyList<(string Source, string Destination)>? PafEdges,
        IReadOnlyList<string>? ClassNames);

    public static Result Read(YamlFields fields, YamlMapping modelConfig, SleapNnBackbone backbone, Skeleton? skeleton)
    {
        YamlMapping record = fields.RequiredMapping(modelConfig, "model_config", "head_configs");
        var set = record.Entries.Where(e => !YamlFields.IsNull(e.Value)).ToList();
        string known = string.Join(", ", SleapNnModelTypes.Known);
        if (set.Count == 0)
            throw fields.Invalid($"{YamlFields.At(Path, record)}: no model type is set (exactly one of {known} must be non-null)");
        foreach (var (key, value) in set)
        {
            if (SleapNnModelTypes.Segmentation.Contains(key))
                throw fields.Unsupported($"{YamlFields.At(Path + "." + key, value)} is a sleap-nn segmentation model, which predicts masks, not poses; SleapPS runs {known}");
            if (!SleapNnModelTypes.TryFromSleapNn(key, out _))
                throw fields.Unsupported($"{YamlFields.At(Path + "." + key, value)} names the model type '{key}', which SleapPS does not know (it runs {known})");
        }
        if (set.Count > 1)
            throw fields.Invalid($"{YamlFields.At(Path, record)}: more than one model type is set ({string.Join(", ", set.Select(e => e.Key))}); exactly one must be non-null");

        string typeKey = set[0].Key;
        SleapNnModelTypes.TryFromSleapNn(typeKey, out ModelType type);
        var reader = new Reader(fields, backbone, skeleton, Path + "." + typeKey, fields.RequiredMapping(record, Path, typeKey), type);
        return type switch
        {
            ModelType.SingleInstance => reader.Parts(HeadKind.SingleInstanceConfmaps, hasAnchor: false),
            ModelType.Centroid => reader.Centroid(),
            ModelType.CenteredInstance => reader.Parts(HeadKind.CenteredInstanceConfmaps, hasAnchor: true),
            ModelType.MultiInstance => reader.BottomUp(),
            ModelType.MultiClassBottomUp => reader.MultiClassBottomUp(),
            _ => reader.MultiClassTopDown(),
        };
    }

    private sealed class Reader(YamlFields fields, SleapNnBackbone backbone, Skeleton? skeleton, string path, YamlMapping heads, ModelType type)
    {
        public Result Parts(HeadKind kind, bool hasAnchor)
        {
            CheckHeadNames("confmaps");
            var (confmaps, sigma, parts, anchor) = Confmaps(kind, hasAnchor);
            return new Result(type, [confmaps], [sigma], anchor, parts, null, null);
        }

        public Result Centroid()
        {
            CheckHeadNames("confmaps");
            string confmapPath = path + ".confmaps";
            YamlMapping record = fields.RequiredMapping(heads, path, "confmaps");
            string? anchor = AnchorPart(record, confmapPath);
            var head = new SleapNnHead(HeadKind.CentroidConfmaps, SpatialStride(record, confmapPath), [HeadsParser.CentroidChannel]);
            // A centroid model predicts no parts; its skeleton's nodes are what its instances would carry.
            return new Result(type, [head], [Sigma(record, confmapPath, ConfmapSigmaDefault)], anchor, skeleton?.NodeNames, null, null);
        }

        public Result BottomUp()
        {
            CheckHeadNames("confmaps", "pafs");
            var (confmaps, sigma, parts, _) = Confmaps(HeadKind.MultiInstanceConfmaps, hasAnchor: false);
            string pafPath = path + ".pafs";
            YamlMapping pafs = fields.RequiredMapping(heads, path, "pafs");
            var edges = PafEdges(pafs, pafPath, parts);
            var pafHead = new SleapNnHead(HeadKind.PartAffinityFields, SpatialStride(pafs, pafPath),
                edges?.Select(e => $"{e.Source}-{e.Destination}").ToArray() ?? []);
            return new Result(type, [confmaps, pafHead], [sigma, Sigma(pafs, pafPath, PafSigmaDefault)], null, parts, edges, null);
        }

        public Result MultiClassBottomUp()
        {
            CheckHeadNames("confmaps", "class_maps");
            var (confmaps, sigma, parts, _) = Confmaps(HeadKind.MultiInstanceConfmaps, hasAnchor: false);
            string classPath = path + ".class_maps";
            YamlMapping classMaps = fields.RequiredMapping(heads, path, "class_maps");
            var classes = fields.OptionalNameList(classMaps, classPath, "classes");
            var classHead = new SleapNnHead(HeadKind.ClassMaps, SpatialStride(classMaps, classPath), classes ?? []);
            return new Result(type, [confmaps, classHead], [sigma, Sigma(classMaps, classPath, ConfmapSigmaDefault)], null, parts, null, classes);
        }

        public Result MultiClassTopDown()
        {
            CheckHeadNames("confmaps", "class_vectors");
            var (confmaps, sigma, parts, anchor) = Confmaps(HeadKind.CenteredInstanceConfmaps, hasAnchor: true);
            string classPath = path + ".class_vectors";
            YamlMapping vectors = fields.RequiredMapping(heads, path, "class_vectors");
            var classes = fields.OptionalNameList(vectors, classPath, "classes");
            // The class-vector head pools the backbone's deepest features whatever its output_stride says, so its
            // stride is the backbone's (docs/design/sleap-nn-config.md §3); the key is read only to check its type.
            fields.PositiveInt(vectors, classPath, "output_stride", OutputStrideDefault);
            var classHead = new SleapNnHead(HeadKind.ClassVectors, backbone.MaxStride, classes ?? [],
                FullyConnectedLayers: fields.PositiveInt(vectors, classPath, "num_fc_layers", 1),
                FullyConnectedUnits: fields.PositiveInt(vectors, classPath, "num_fc_units", 64),
                GlobalPool: fields.Bool(vectors, classPath, "global_pool", true));
            return new Result(type, [confmaps, classHead], [sigma, double.NaN], anchor, parts, null, classes);
        }

        /// <summary>Refuses a non-null head this model type does not have (sleap-nn would build none for it).</summary>
        private void CheckHeadNames(params string[] known)
        {
            foreach (var (key, value) in heads.Entries)
                if (!known.Contains(key) && !YamlFields.IsNull(value))
                    throw fields.Unsupported($"{YamlFields.At(path + "." + key, value)} names the head '{key}', which SleapPS does not know for a " +
                        $"{SleapNnModelTypes.ToSleapNn(type)} model (its heads are {string.Join(", ", known)})");
        }

        private (SleapNnHead Head, double Sigma, IReadOnlyList<string>? Parts, string? Anchor) Confmaps(HeadKind kind, bool hasAnchor)
        {
            string confmapPath = path + ".confmaps";
            YamlMapping record = fields.RequiredMapping(heads, path, "confmaps");
            string? anchor = hasAnchor ? AnchorPart(record, confmapPath) : null;
            // Null part names mean the skeleton's nodes (sleap-nn fills them in at training).
            IReadOnlyList<string>? parts = fields.OptionalNameList(record, confmapPath, "part_names") ?? skeleton?.NodeNames;
            var head = new SleapNnHead(kind, SpatialStride(record, confmapPath), parts ?? []);
            return (head, Sigma(record, confmapPath, ConfmapSigmaDefault), parts, anchor);
        }

        private string? AnchorPart(YamlMapping record, string recordPath)
        {
            string? anchor = fields.OptionalString(record, recordPath, "anchor_part");
            // sleap-nn finds the anchor among the skeleton's nodes by name.
            if (anchor is not null && skeleton is not null && skeleton.IndexOf(anchor) < 0)
                throw fields.Invalid($"{YamlFields.At(recordPath + ".anchor_part", record["anchor_part"]!)} names '{anchor}', which is not a node of the skeleton ({string.Join(", ", skeleton.NodeNames)})");
            return anchor;
        }

        private IReadOnlyList<(string Source, string Destination)>? PafEdges(YamlMapping pafs, string pafPath, IReadOnlyList<string>? parts)
        {
            YamlSequence? list = fields.OptionalSequence(pafs, pafPath, "edges");
            if (list is null)
            {
                // Null edges mean the skeleton's (sleap-nn fills them in at training).
                if (skeleton is null) return null;
                if (skeleton.Edges.Count == 0)
                    throw fields.Invalid($"{YamlFields.At(pafPath + ".edges", pafs)} is not set and the skeleton has no edges, so the model has no part affinity fields to group parts with");
                return skeleton.Edges.Select(e => (e.Source.Name, e.Destination.Name)).ToArray();
            }
            if (list.Items.Count == 0)
                throw fields.Invalid($"{YamlFields.At(pafPath + ".edges", list)} is an empty list; a bottom-up model needs at least one edge");
            var edges = new List<(string, string)>(list.Items.Count);
            for (int i = 0; i < list.Items.Count; i++)
            {
                string edgePath = $"{pafPath}.edges[{i}]";
                // sleap-nn's PAF scorer looks each end up among the confidence maps' part names.
                if (list.Items[i] is YamlSequence { Items: [YamlScalar { IsNull: false } source, YamlScalar { IsNull: false } destination] }
                    && (parts is null || (parts.Contains(source.Text) && parts.Contains(destination.Text))))
                {
                    edges.Add((source.Text, destination.Text));
                    continue;
                }
                string from = parts is null ? "" : $" from ({string.Join(", ", parts)})";
                throw fields.Invalid($"{YamlFields.At(edgePath, list.Items[i])} must be a pair of part names{from}, not {Describe(list.Items[i])}");
            }
            return edges;
        }

        /// <summary>A spatial head's stride: a power of two at which the backbone's decoder gives an output.</summary>
        private int SpatialStride(YamlMapping record, string recordPath)
        {
            int stride = fields.PositiveInt(record, recordPath, "output_stride", OutputStrideDefault);
            // The decoder's outputs run from half the max stride down to the backbone's output_stride; a backbone
            // without up-sampling (output_stride = max_stride) feeds its heads the deepest features.
            int coarsest = backbone.OutputStride == backbone.MaxStride ? backbone.MaxStride : backbone.MaxStride / 2;
            if (!int.IsPow2(stride) || stride < backbone.OutputStride || stride > coarsest)
            {
                var strides = Enumerable.Range(0, 31).Select(i => 1 << i).Where(s => s >= backbone.OutputStride && s <= coarsest);
                throw fields.Invalid($"{YamlFields.At(recordPath + ".output_stride", record["output_stride"] ?? record)} is {stride}, but the {backbone.Name} backbone " +
                    $"gives outputs at strides {string.Join(", ", strides)} only (from its output_stride {backbone.OutputStride} up to {coarsest})");
            }
            return stride;
        }

        private double Sigma(YamlMapping record, string recordPath, double defaultValue) =>
            fields.PositiveNumber(record, recordPath, "sigma", defaultValue);

        private static string Describe(YamlValue value) => value is YamlSequence q
            ? "[" + string.Join(", ", q.Items.Select(YamlFields.Describe)) + "]"
            : YamlFields.Describe(value);
    }
}
