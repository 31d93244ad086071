using SleapPS.Engine.Data;

namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>
/// Reads <c>data_config.skeletons[0]</c>, the skeleton sleap-nn writes into training_config.yaml when it trains
/// (sleap-io's simple YAML form: nodes as <c>{name}</c>, edges as <c>{source: {name}, destination: {name}}</c>,
/// symmetries as pairs of <c>{name}</c>; docs/design/sleap-nn-config.md §5). A config that was never trained has none.
/// </summary>
internal static class SleapNnSkeletonReader
{
    private const string Path = "data_config.skeletons";

    /// <returns>The skeleton, or null when the config lists none (a config written before training).</returns>
    public static Skeleton? Read(YamlFields fields, YamlMapping? dataConfig)
    {
        if (dataConfig is null) return null;
        YamlSequence? skeletons = fields.OptionalSequence(dataConfig, "data_config", "skeletons");
        if (skeletons is null || skeletons.Items.Count == 0) return null;

        string path = Path + "[0]";
        if (skeletons.Items[0] is not YamlMapping skeleton)
            throw fields.Invalid($"{YamlFields.At(path, skeletons.Items[0])} must be a mapping with nodes, edges and symmetries, not {YamlFields.Describe(skeletons.Items[0])}");

        var names = new List<string>();
        YamlSequence? nodes = fields.OptionalSequence(skeleton, path, "nodes");
        if (nodes is null || nodes.Items.Count == 0)
            throw fields.Invalid($"{YamlFields.At(path, skeleton)} has no nodes");
        for (int i = 0; i < nodes.Items.Count; i++)
        {
            string name = NodeName(fields, nodes.Items[i], $"{path}.nodes[{i}]");
            if (names.Contains(name))
                throw fields.Invalid($"{YamlFields.At($"{path}.nodes[{i}]", nodes.Items[i])} names the node '{name}' twice");
            names.Add(name);
        }

        var result = Skeleton.FromNames(fields.OptionalString(skeleton, path, "name") ?? "Skeleton", names);
        YamlSequence? edges = fields.OptionalSequence(skeleton, path, "edges");
        for (int i = 0; i < (edges?.Items.Count ?? 0); i++)
        {
            string edgePath = $"{path}.edges[{i}]";
            if (edges!.Items[i] is not YamlMapping edge)
                throw fields.Invalid($"{YamlFields.At(edgePath, edges.Items[i])} must be a mapping with source and destination, not {YamlFields.Describe(edges.Items[i])}");
            result.Edges.Add(new Edge(
                FindNode(fields, result, edge["source"], edgePath + ".source", edge),
                FindNode(fields, result, edge["destination"], edgePath + ".destination", edge)));
        }

        YamlSequence? symmetries = fields.OptionalSequence(skeleton, path, "symmetries");
        for (int i = 0; i < (symmetries?.Items.Count ?? 0); i++)
        {
            string symmetryPath = $"{path}.symmetries[{i}]";
            if (symmetries!.Items[i] is not YamlSequence { Items.Count: 2 } pair)
                throw fields.Invalid($"{YamlFields.At(symmetryPath, symmetries.Items[i])} must be a pair of nodes, not {YamlFields.Describe(symmetries.Items[i])}");
            result.Symmetries.Add(new Symmetry(
                FindNode(fields, result, pair.Items[0], symmetryPath + "[0]", pair),
                FindNode(fields, result, pair.Items[1], symmetryPath + "[1]", pair)));
        }
        return result;
    }

    private static Node FindNode(YamlFields fields, Skeleton skeleton, YamlValue? value, string path, YamlValue parent)
    {
        if (value is null)
            throw fields.Invalid($"{YamlFields.At(path, parent)} is missing");
        string name = NodeName(fields, value, path);
        int index = skeleton.IndexOf(name);
        return index >= 0 ? skeleton.Nodes[index]
            : throw fields.Invalid($"{YamlFields.At(path, value)} names '{name}', which is not a node of the skeleton ({string.Join(", ", skeleton.NodeNames)})");
    }

    /// <summary>A node as sleap-io writes it, <c>{name: A}</c>; a bare name is read too.</summary>
    private static string NodeName(YamlFields fields, YamlValue value, string path) => value switch
    {
        YamlMapping m when m["name"] is YamlScalar { IsNull: false, Text.Length: > 0 } name => name.Text,
        YamlScalar { IsNull: false, Text.Length: > 0 } s => s.Text,
        _ => throw fields.Invalid($"{YamlFields.At(path, value)} must name a node ({{name: ...}}), not {YamlFields.Describe(value)}"),
    };
}
