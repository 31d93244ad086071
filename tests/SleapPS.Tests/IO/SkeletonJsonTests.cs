using System.Text.Json.Nodes;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Tests.IO;

public class SkeletonJsonTests
{
    // Skeleton and global node list of tracks/clip.slp, copied from the file's metadata with h5py.
    private const string ClipSkeleton =
        """{"directed":true,"graph":{"name":"Skeleton-3","num_edges_inserted":12},"links":[{"edge_insert_idx":10,"key":0,"source":2,"target":4,"type":{"py/reduce":[{"py/type":"sleap.skeleton.EdgeType"},{"py/tuple":[1]}]}},{"edge_insert_idx":11,"key":0,"source":2,"target":3,"type":{"py/id":1}},{"edge_insert_idx":0,"key":0,"source":7,"target":2,"type":{"py/id":1}},{"edge_insert_idx":1,"key":0,"source":7,"target":6,"type":{"py/id":1}},{"edge_insert_idx":2,"key":0,"source":7,"target":12,"type":{"py/id":1}},{"edge_insert_idx":3,"key":0,"source":7,"target":1,"type":{"py/id":1}},{"edge_insert_idx":4,"key":0,"source":7,"target":9,"type":{"py/id":1}},{"edge_insert_idx":5,"key":0,"source":7,"target":5,"type":{"py/id":1}},{"edge_insert_idx":6,"key":0,"source":7,"target":8,"type":{"py/id":1}},{"edge_insert_idx":7,"key":0,"source":7,"target":10,"type":{"py/id":1}},{"edge_insert_idx":8,"key":0,"source":7,"target":0,"type":{"py/id":1}},{"edge_insert_idx":9,"key":0,"source":7,"target":11,"type":{"py/id":1}}],"multigraph":true,"nodes":[{"id":2},{"id":7},{"id":6},{"id":12},{"id":1},{"id":9},{"id":5},{"id":8},{"id":10},{"id":0},{"id":11},{"id":4},{"id":3}]}""";
    private static readonly string[] ClipGlobalNodes =
        ["hindlegL4", "wingR", "head", "eyeR", "eyeL", "forelegR4", "abdomen", "thorax", "midlegL4", "forelegL4", "midlegR4", "hindlegR4", "wingL"];

    // tracks/clip.2node.slp: the template form, one edge thorax -> head, num_edges_inserted 12.
    private const string Clip2NodeSkeleton =
        """{"description":null,"nx_graph":{"directed":true,"graph":{"name":"Skeleton-3","num_edges_inserted":12},"links":[{"edge_insert_idx":0,"key":0,"source":4,"target":11,"type":{"py/reduce":[{"py/type":"sleap.skeleton.EdgeType"},{"py/tuple":[1]}]}}],"multigraph":true,"nodes":[{"id":11},{"id":4}]},"preview_image":null}""";
    private static readonly string[] Clip2NodeGlobalNodes =
        ["forelegL4", "wingR", "hindlegR4", "eyeL", "thorax", "abdomen", "eyeR", "wingL", "forelegR4", "midlegL4", "midlegR4", "head", "hindlegL4"];

    // models/min_tracks_2node.UNet.topdown_multiclass/training_config.json: nodes as jsonpickle objects.
    private const string TrainingConfigSkeleton =
        """{"directed": true, "graph": {"name": "Skeleton-3", "num_edges_inserted": 12}, "links": [{"edge_insert_idx": 0, "key": 0, "source": {"py/object": "sleap.skeleton.Node", "py/state": {"py/tuple": ["thorax", 1.0]}}, "target": {"py/object": "sleap.skeleton.Node", "py/state": {"py/tuple": ["head", 1.0]}}, "type": {"py/reduce": [{"py/type": "sleap.skeleton.EdgeType"}, {"py/tuple": [1]}]}}], "multigraph": true, "nodes": [{"id": {"py/id": 2}}, {"id": {"py/id": 1}}]}""";

    private static List<Node> Nodes(IEnumerable<string> names) => names.Select(n => new Node(n)).ToList();

    [Fact]
    public void DecodesRegularFormWithNodeOrderFromNodesList()
    {
        var global = Nodes(ClipGlobalNodes);
        Skeleton skeleton = SkeletonJson.Decode(JsonNode.Parse(ClipSkeleton)!, global);

        Assert.Equal("Skeleton-3", skeleton.Name);
        Assert.Equal(["head", "thorax", "abdomen", "wingL", "wingR", "forelegL4", "forelegR4", "midlegL4", "midlegR4", "hindlegL4", "hindlegR4", "eyeL", "eyeR"],
            skeleton.NodeNames);
        Assert.Same(global[2], skeleton.Nodes[0]);
        // Edges ordered by edge_insert_idx, not by link order.
        Assert.Equal(12, skeleton.Edges.Count);
        Assert.Equal("thorax -> head", skeleton.Edges[0].ToString());
        Assert.Equal("thorax -> abdomen", skeleton.Edges[1].ToString());
        Assert.Equal("head -> eyeL", skeleton.Edges[10].ToString());
        Assert.Equal("head -> eyeR", skeleton.Edges[11].ToString());
        Assert.Empty(skeleton.Symmetries);
        Assert.Null(skeleton.Description);
    }

    [Fact]
    public void EncodeReproducesSleapsJsonExactly()
    {
        var global = Nodes(ClipGlobalNodes);
        Skeleton skeleton = SkeletonJson.Decode(JsonNode.Parse(ClipSkeleton)!, global);
        var index = global.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);

        Assert.Equal(ClipSkeleton, SkeletonJson.Encode(skeleton, index).ToJsonString());
    }

    [Fact]
    public void DecodesTemplateForm()
    {
        Skeleton skeleton = SkeletonJson.Decode(JsonNode.Parse(Clip2NodeSkeleton)!, Nodes(Clip2NodeGlobalNodes));

        Assert.Equal("Skeleton-3", skeleton.Name);
        Assert.Equal(["head", "thorax"], skeleton.NodeNames);
        Assert.Equal("thorax -> head", Assert.Single(skeleton.Edges).ToString());
        Assert.Null(skeleton.Description);

        var described = JsonNode.Parse(Clip2NodeSkeleton)!;
        described["description"] = "two-node fly";
        Assert.Equal("two-node fly", SkeletonJson.Decode(described, Nodes(Clip2NodeGlobalNodes)).Description);
    }

    [Fact]
    public void DecodesNodeObjectsWithPickleReferences()
    {
        Skeleton skeleton = SkeletonJson.Decode(JsonNode.Parse(TrainingConfigSkeleton)!, []);

        Assert.Equal(["head", "thorax"], skeleton.NodeNames);
        Assert.Equal("thorax -> head", Assert.Single(skeleton.Edges).ToString());
        Assert.Same(skeleton.Nodes[1], skeleton.Edges[0].Source);
    }

    [Fact]
    public void DecodesNodeObjectsWithNamedState()
    {
        const string json = """{"directed": true, "graph": {"name": "old", "num_edges_inserted": 1}, "links": [{"edge_insert_idx": 0, "key": 0, "source": {"py/object": "sleap.skeleton.Node", "py/state": {"name": "a", "weight": 1.0}}, "target": {"py/object": "sleap.skeleton.Node", "py/state": {"name": "b", "weight": 1.0}}, "type": {"py/reduce": [{"py/type": "sleap.skeleton.EdgeType"}, {"py/tuple": [1]}, null, null, null]}}], "multigraph": true, "nodes": [{"id": {"py/id": 1}}, {"id": {"py/id": 2}}, {"id": {"py/object": "sleap.skeleton.Node", "py/state": {"name": "c", "weight": 1.0}}}]}""";
        Skeleton skeleton = SkeletonJson.Decode(JsonNode.Parse(json)!, []);

        Assert.Equal("old", skeleton.Name);
        Assert.Equal(["a", "b", "c"], skeleton.NodeNames);
        Assert.Equal("a -> b", Assert.Single(skeleton.Edges).ToString());
    }

    [Fact]
    public void DecodesSymmetriesStoredTwiceAsOnePair()
    {
        // As SLEAP writes a skeleton with edge a->b and symmetry b<->c: SYMMETRY is the second EdgeType met (py/id 2).
        const string json = """{"directed":true,"graph":{"name":"sym","num_edges_inserted":1},"links":[{"edge_insert_idx":0,"key":0,"source":0,"target":1,"type":{"py/reduce":[{"py/type":"sleap.skeleton.EdgeType"},{"py/tuple":[1]}]}},{"key":0,"source":1,"target":2,"type":{"py/reduce":[{"py/type":"sleap.skeleton.EdgeType"},{"py/tuple":[2]}]}},{"key":0,"source":2,"target":1,"type":{"py/id":2}}],"multigraph":true,"nodes":[{"id":0},{"id":1},{"id":2}]}""";
        var global = Nodes(["a", "b", "c"]);
        Skeleton skeleton = SkeletonJson.Decode(JsonNode.Parse(json)!, global);

        Assert.Equal("a -> b", Assert.Single(skeleton.Edges).ToString());
        Assert.Equal("b <-> c", Assert.Single(skeleton.Symmetries).ToString());
        var index = global.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        Assert.Equal(json, SkeletonJson.Encode(skeleton, index).ToJsonString());
    }

    [Fact]
    public void RoundTripKeepsNamesOrderEdgesAndSymmetries()
    {
        var skeleton = Skeleton.FromNames("fly", ["head", "thorax", "wingL", "wingR", "legL", "legR"],
            [("thorax", "head"), ("thorax", "wingR"), ("thorax", "wingL"), ("thorax", "legL"), ("thorax", "legR")]);
        skeleton.Symmetries.Add(new Symmetry(skeleton.NodeByName("wingL"), skeleton.NodeByName("wingR")));
        skeleton.Symmetries.Add(new Symmetry(skeleton.NodeByName("legR"), skeleton.NodeByName("legL")));
        // A global list in another order, as SLEAP builds it from a set.
        var global = skeleton.Nodes.AsEnumerable().Reverse().ToList();
        var index = global.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);

        JsonObject encoded = SkeletonJson.Encode(skeleton, index);
        Skeleton decoded = SkeletonJson.Decode(JsonNode.Parse(encoded.ToJsonString())!, global);

        Assert.Equal(skeleton.Name, decoded.Name);
        Assert.Equal(skeleton.Nodes, decoded.Nodes);
        Assert.Equal(skeleton.Edges, decoded.Edges);
        // A symmetry has no direction: SLEAP stores both links, so only the pair is kept.
        Assert.Equal(skeleton.Symmetries.Select(Unordered), decoded.Symmetries.Select(Unordered));
        // Also straight from the in-memory tree, without a parse in between.
        Assert.Equal(skeleton.Edges, SkeletonJson.Decode(encoded, global).Edges);
        // Symmetry links carry no edge_insert_idx; the first BODY type is written in full, later ones as py/id 1.
        var links = encoded["links"]!.AsArray();
        Assert.Equal(5 + 4, links.Count);
        Assert.Equal(1, links.Count(l => l!["type"]!["py/reduce"] is not null && l["edge_insert_idx"] is not null));
        Assert.Equal(1, links.Count(l => l!["type"]!["py/reduce"] is not null && l["edge_insert_idx"] is null));
        Assert.Equal(4, links.Count(l => !l!.AsObject().ContainsKey("edge_insert_idx")));
    }

    private static string Unordered(Symmetry s) => string.Join("|", new[] { s.First.Name, s.Second.Name }.Order());

    [Fact]
    public void RejectsNodeIndexOutsideTheGlobalList()
    {
        var ex = Assert.Throws<InvalidDataException>(() => SkeletonJson.Decode(JsonNode.Parse(ClipSkeleton)!, Nodes(["a", "b"])));
        Assert.Equal("A skeleton refers to node 2, but the file lists 2 nodes.", ex.Message);
    }
}
