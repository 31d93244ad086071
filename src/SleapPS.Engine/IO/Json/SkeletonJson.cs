using System.Text.Json.Nodes;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO.Json;

/// <summary>
/// SLEAP's skeleton JSON: networkx node-link data of a MultiDiGraph with jsonpickle-encoded edge types
/// (docs/design/file-formats.md §3.2, docs/design/models.md §2.3).
/// </summary>
/// <remarks>
/// Decoding throws <see cref="InvalidDataException"/> for malformed input; the file readers wrap it in a
/// <see cref="SleapException"/> that names the file.
/// </remarks>
public static class SkeletonJson
{
    private const int BodyEdgeType = 1;
    private const int SymmetryEdgeType = 2;

    /// <summary>
    /// Builds a skeleton from its JSON, regular form (<c>{"directed":..,"links":..,"nodes":..}</c>) or template form
    /// (<c>{"nx_graph": {...}, "description": ...}</c>).
    /// </summary>
    /// <param name="skeleton">The skeleton JSON object.</param>
    /// <param name="globalNodes">
    /// The labels file's top-level node list, which integer node ids index into. Node ids written as full
    /// jsonpickle node objects (training_config.json) create their own nodes and do not need it.
    /// </param>
    public static Skeleton Decode(JsonNode skeleton, IReadOnlyList<Node> globalNodes)
    {
        if (skeleton is not JsonObject root)
            throw new InvalidDataException($"A skeleton must be a JSON object, but found {Describe(skeleton)}.");

        string? description = null;
        JsonObject graph = root;
        if (root["nx_graph"] is JsonObject template)
        {
            graph = template;
            description = JsonRead.GetString(root["description"]);
        }

        var decoder = new PickleReferences(globalNodes);
        var bodyEdges = new List<(long InsertIndex, Edge Edge)>();
        var symmetries = new List<Symmetry>();

        // jsonpickle numbers objects in the order it meets them with dict keys sorted: within a link,
        // source comes before target before type; all links come before the "nodes" list.
        foreach (JsonNode? linkNode in graph["links"] as JsonArray ?? [])
        {
            if (linkNode is not JsonObject link)
                throw new InvalidDataException($"A skeleton link must be a JSON object, but found {Describe(linkNode)}.");
            Node source = decoder.ResolveNode(link["source"]);
            Node target = decoder.ResolveNode(link["target"]);
            int edgeType = decoder.ResolveEdgeType(link["type"]);
            if (edgeType == BodyEdgeType)
            {
                long insertIndex = JsonRead.TryGetLong(link["edge_insert_idx"], out long idx) ? idx : long.MaxValue;
                bodyEdges.Add((insertIndex, new Edge(source, target)));
            }
            else if (edgeType == SymmetryEdgeType)
            {
                // SLEAP stores each symmetry twice (a->b and b->a); keep the first.
                if (!symmetries.Any(s => (s.First == source && s.Second == target) || (s.First == target && s.Second == source)))
                    symmetries.Add(new Symmetry(source, target));
            }
            else
            {
                throw new InvalidDataException($"A skeleton link has edge type {edgeType}; SLEAP uses 1 (body edge) and 2 (symmetry).");
            }
        }

        var nodes = new List<Node>();
        foreach (JsonNode? entry in graph["nodes"] as JsonArray ?? [])
        {
            if (entry is not JsonObject nodeEntry || !nodeEntry.ContainsKey("id"))
                throw new InvalidDataException($"A skeleton 'nodes' entry must be an object with an 'id', but found {Describe(entry)}.");
            nodes.Add(decoder.ResolveNode(nodeEntry["id"]));
        }

        string name = JsonRead.GetString((graph["graph"] as JsonObject)?["name"]) ?? "Skeleton";

        var edges = bodyEdges.Select((e, order) => (e, order))
            .OrderBy(x => x.e.InsertIndex).ThenBy(x => x.order)
            .Select(x => x.e.Edge);
        return new Skeleton(name, nodes, edges, symmetries) { Description = description };
    }

    /// <summary>
    /// Writes the regular node-link form exactly as SLEAP does: links grouped by source node in skeleton node
    /// order, body edges before symmetry links; the first link of each edge type carries the full jsonpickle
    /// <c>py/reduce</c> and later ones refer back with <c>py/id</c>.
    /// </summary>
    /// <param name="globalNodeIndex">The position of every skeleton node in the file's top-level node list.</param>
    public static JsonObject Encode(Skeleton skeleton, IReadOnlyDictionary<Node, int> globalNodeIndex)
    {
        int IndexOf(Node node) => globalNodeIndex.TryGetValue(node, out int index)
            ? index
            : throw new ArgumentException($"Node '{node.Name}' of skeleton '{skeleton.Name}' is not in the global node list.", nameof(globalNodeIndex));

        var pickleIds = new Dictionary<int, int>();
        JsonNode EdgeTypeJson(int edgeType)
        {
            if (pickleIds.TryGetValue(edgeType, out int id))
                return new JsonObject { ["py/id"] = id };
            // With integer node ids the edge types are the only objects jsonpickle numbers.
            pickleIds[edgeType] = pickleIds.Count + 1;
            return new JsonObject
            {
                ["py/reduce"] = new JsonArray(
                    new JsonObject { ["py/type"] = "sleap.skeleton.EdgeType" },
                    new JsonObject { ["py/tuple"] = new JsonArray(edgeType) }),
            };
        }

        var links = new JsonArray();
        foreach (Node node in skeleton.Nodes)
        {
            for (int e = 0; e < skeleton.Edges.Count; e++)
            {
                Edge edge = skeleton.Edges[e];
                if (edge.Source != node) continue;
                links.Add(new JsonObject
                {
                    ["edge_insert_idx"] = e,
                    ["key"] = 0,
                    ["source"] = IndexOf(edge.Source),
                    ["target"] = IndexOf(edge.Destination),
                    ["type"] = EdgeTypeJson(BodyEdgeType),
                });
            }
            foreach (Symmetry symmetry in skeleton.Symmetries)
            {
                Node? partner = symmetry.First == node ? symmetry.Second : symmetry.Second == node ? symmetry.First : null;
                if (partner is null) continue;
                links.Add(new JsonObject
                {
                    ["key"] = 0,
                    ["source"] = IndexOf(node),
                    ["target"] = IndexOf(partner),
                    ["type"] = EdgeTypeJson(SymmetryEdgeType),
                });
            }
        }

        var nodes = new JsonArray();
        foreach (Node node in skeleton.Nodes)
            nodes.Add(new JsonObject { ["id"] = IndexOf(node) });

        return new JsonObject
        {
            ["directed"] = true,
            ["graph"] = new JsonObject { ["name"] = skeleton.Name, ["num_edges_inserted"] = skeleton.Edges.Count },
            ["links"] = links,
            ["multigraph"] = true,
            ["nodes"] = nodes,
        };
    }

    private static string Describe(JsonNode? node) => JsonRead.Describe(node);

    /// <summary>The jsonpickle object table: every object gets the next py/id when first met.</summary>
    private sealed class PickleReferences(IReadOnlyList<Node> globalNodes)
    {
        private readonly List<object> _objects = new();

        public Node ResolveNode(JsonNode? value)
        {
            if (JsonRead.TryGetLong(value, out long index))
            {
                if (index < 0 || index >= globalNodes.Count)
                    throw new InvalidDataException($"A skeleton refers to node {index}, but the file lists {globalNodes.Count} nodes.");
                return globalNodes[(int)index];
            }
            switch (value)
            {
                case JsonObject o when o.ContainsKey("py/id"):
                    return Lookup(o) as Node
                        ?? throw new InvalidDataException($"A skeleton node reference {o.ToJsonString()} does not refer to a node.");
                case JsonObject o when o["py/state"] is JsonNode state:
                    var node = new Node(NodeName(state));
                    _objects.Add(node);
                    return node;
                default:
                    throw new InvalidDataException($"A skeleton node must be an index or a node object, but found {Describe(value)}.");
            }
        }

        public int ResolveEdgeType(JsonNode? value)
        {
            if (JsonRead.GetInt(value) is int plain) return plain;
            switch (value)
            {
                case JsonObject o when o.ContainsKey("py/id"):
                    return Lookup(o) is int known
                        ? known
                        : throw new InvalidDataException($"A skeleton edge type reference {o.ToJsonString()} does not refer to an edge type.");
                case JsonObject o when o["py/reduce"] is JsonArray reduce:
                    // [{"py/type": "sleap.skeleton.EdgeType"}, {"py/tuple": [1]}]; old files append nulls.
                    int? edgeType = reduce.OfType<JsonObject>()
                        .Select(item => item["py/tuple"] is JsonArray { Count: > 0 } tuple ? JsonRead.GetInt(tuple[0]) : null)
                        .FirstOrDefault(t => t is not null);
                    if (edgeType is null)
                        throw new InvalidDataException($"A skeleton edge type {o.ToJsonString()} has no numeric value.");
                    _objects.Add(edgeType.Value);
                    return edgeType.Value;
                default:
                    throw new InvalidDataException($"A skeleton link has an edge type SLEAP does not write: {Describe(value)}.");
            }
        }

        private object Lookup(JsonObject reference)
        {
            long id = JsonRead.TryGetLong(reference["py/id"], out long n) ? n : -1;
            if (id < 1 || id > _objects.Count)
                throw new InvalidDataException($"A skeleton refers to jsonpickle object {reference.ToJsonString()}, which is not defined before it.");
            return _objects[(int)id - 1];
        }

        private static string NodeName(JsonNode state) =>
            // {"py/tuple": ["thorax", 1.0]} (SLEAP's __getstate__) or {"name": "thorax", "weight": 1.0}.
            (state is JsonObject o ? JsonRead.GetString(o["py/tuple"] is JsonArray { Count: > 0 } t ? t[0] : o["name"]) : null)
            ?? throw new InvalidDataException($"A skeleton node object has no name: {state.ToJsonString()}.");
    }
}
