namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// The order in which SLEAP assembles instances from matched edges (<c>toposort_edges</c>, docs/design/inference.md §10.5):
/// breadth-first from the skeleton's first root.
/// </summary>
public static class EdgeOrder
{
    /// <summary>
    /// Edge indices in the order SLEAP visits them. Nodes are known in order of first appearance in
    /// <paramref name="edges"/>; the root is the first of them with no incoming edge; edges are visited breadth-first
    /// from it, each node's outgoing edges in list order. Edges not reached that way (other components, a second edge
    /// into an already visited node) are left out, so grouping ignores them (docs/design/inference.md §Q6). A repeated edge counts once,
    /// at its first position.
    /// </summary>
    /// <exception cref="SleapException">InvalidData when every node has an incoming edge (the edges form cycles only), as SLEAP cannot order them either.</exception>
    public static int[] Toposort(IReadOnlyList<(int Source, int Destination)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Count == 0)
            return [];

        var nodes = new List<int>();                       // first-appearance order
        var successors = new Dictionary<int, List<int>>(); // distinct, in edge order
        var incoming = new Dictionary<int, int>();         // distinct predecessors
        foreach (var (source, destination) in edges)
        {
            AddNode(source);
            AddNode(destination);
            var next = successors[source];
            if (!next.Contains(destination))
            {
                next.Add(destination);
                incoming[destination]++;
            }
        }

        int root = nodes.FindIndex(n => incoming[n] == 0);
        if (root < 0)
            throw new SleapException(SleapErrorKind.InvalidData,
                "The part affinity field edges form a cycle with no root node, so instances cannot be assembled (SLEAP fails the same way). " +
                "Use a model whose skeleton edges form a tree.");

        var order = new List<int>(edges.Count);
        var visited = new HashSet<int> { nodes[root] };
        var queue = new Queue<int>();
        queue.Enqueue(nodes[root]);
        while (queue.Count > 0)
        {
            int parent = queue.Dequeue();
            foreach (int child in successors[parent])
            {
                if (!visited.Add(child))
                    continue;
                order.Add(IndexOf(edges, parent, child));
                queue.Enqueue(child);
            }
        }
        return order.ToArray();

        void AddNode(int node)
        {
            if (successors.ContainsKey(node))
                return;
            nodes.Add(node);
            successors[node] = [];
            incoming[node] = 0;
        }
    }

    private static int IndexOf(IReadOnlyList<(int Source, int Destination)> edges, int source, int destination)
    {
        for (int i = 0; i < edges.Count; i++)
            if (edges[i].Source == source && edges[i].Destination == destination)
                return i;
        throw new InvalidOperationException("unreachable: a visited edge is in the list");
    }
}
