namespace SleapPS.Engine.Data;

/// <summary>
/// Nodes in point order, directed body edges in insertion order, and symmetries.
/// The node order is the order of every instance's point array.
/// </summary>
public sealed class Skeleton
{
    public Skeleton(string name, IEnumerable<Node> nodes, IEnumerable<Edge>? edges = null, IEnumerable<Symmetry>? symmetries = null)
    {
        Name = name;
        Nodes = nodes.ToList();
        Edges = edges?.ToList() ?? new List<Edge>();
        Symmetries = symmetries?.ToList() ?? new List<Symmetry>();
    }

    /// <summary>Builds a skeleton from node names and (source, destination) name pairs.</summary>
    public static Skeleton FromNames(string name, IEnumerable<string> nodeNames, IEnumerable<(string Source, string Destination)>? edges = null)
    {
        var nodes = nodeNames.Select(n => new Node(n)).ToList();
        var skeleton = new Skeleton(name, nodes);
        foreach (var (source, destination) in edges ?? [])
            skeleton.Edges.Add(new Edge(skeleton.NodeByName(source), skeleton.NodeByName(destination)));
        return skeleton;
    }

    public string Name { get; set; }
    public List<Node> Nodes { get; }
    public List<Edge> Edges { get; }
    public List<Symmetry> Symmetries { get; }

    /// <summary>Free text kept from the template form of the skeleton JSON (null when absent).</summary>
    public string? Description { get; set; }

    public string[] NodeNames => Nodes.Select(n => n.Name).ToArray();

    public int IndexOf(Node node) => Nodes.IndexOf(node);

    public int IndexOf(string nodeName) => Nodes.FindIndex(n => n.Name == nodeName);

    public Node NodeByName(string nodeName) =>
        Nodes.Find(n => n.Name == nodeName)
        ?? throw new KeyNotFoundException($"Skeleton '{Name}' has no node named '{nodeName}'. Its nodes are: {string.Join(", ", NodeNames)}.");

    /// <summary>Body edges as (source index, destination index) pairs in edge order.</summary>
    public (int Source, int Destination)[] EdgeIndices =>
        Edges.Select(e => (IndexOf(e.Source), IndexOf(e.Destination))).ToArray();

    public override string ToString() => $"{Name} ({Nodes.Count} nodes, {Edges.Count} edges)";
}
