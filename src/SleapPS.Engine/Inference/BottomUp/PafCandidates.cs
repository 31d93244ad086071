namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// The candidate connections of one frame (SLEAP's <c>get_connection_candidates</c>, docs/design/inference.md §10.2): the frame's
/// peaks grouped by node (frame order kept within a node), and for each skeleton edge every (source peak, destination
/// peak) pair, source-major. One object serves frame after frame; its buffers only grow.
/// </summary>
public sealed class PafCandidates
{
    private readonly int _nodeCount;
    private readonly (int Source, int Destination)[] _edges;
    private readonly int[] _nodeStart;   // node k's peaks are _nodePeaks[_nodeStart[k] .. _nodeStart[k + 1])
    private readonly int[] _edgeStart;   // edge k's candidates are [_edgeStart[k] .. _edgeStart[k + 1])
    private int[] _nodePeaks = new int[16];
    private int[] _edgeOf = new int[64];
    private int[] _sourcePeak = new int[64];
    private int[] _destinationPeak = new int[64];

    public PafCandidates(int nodeCount, IReadOnlyList<(int Source, int Destination)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        _nodeCount = nodeCount;
        _edges = edges.ToArray();
        foreach (var (s, d) in _edges)
            if ((uint)s >= (uint)nodeCount || (uint)d >= (uint)nodeCount)
                throw new ArgumentOutOfRangeException(nameof(edges), $"Edge ({s}, {d}) names a node outside 0..{nodeCount - 1}.");
        _nodeStart = new int[nodeCount + 1];
        _edgeStart = new int[_edges.Length + 1];
    }

    public int NodeCount => _nodeCount;

    public int EdgeCount => _edges.Length;

    public (int Source, int Destination) Edge(int edge) => _edges[edge];

    /// <summary>All candidates of the frame, edge by edge.</summary>
    public int Count => _edgeStart[_edges.Length];

    /// <summary>The edge of each candidate.</summary>
    public ReadOnlySpan<int> EdgeIndices => _edgeOf.AsSpan(0, Count);

    /// <summary>The source peak of each candidate, as an index into the frame's peaks.</summary>
    public ReadOnlySpan<int> SourcePeaks => _sourcePeak.AsSpan(0, Count);

    /// <summary>The destination peak of each candidate, as an index into the frame's peaks.</summary>
    public ReadOnlySpan<int> DestinationPeaks => _destinationPeak.AsSpan(0, Count);

    /// <summary>Where edge <paramref name="edge"/>'s candidates start; they form a (source peaks × destination peaks) row-major block.</summary>
    public int EdgeStart(int edge) => _edgeStart[edge];

    /// <summary>The frame's peaks of one node, as indices into the frame's peaks, in frame order; a peak's position here is its index within its node.</summary>
    public ReadOnlySpan<int> NodePeaks(int node) => _nodePeaks.AsSpan(_nodeStart[node], _nodeStart[node + 1] - _nodeStart[node]);

    /// <summary>Where node <paramref name="node"/>'s peaks start in the node-grouped order (0 for node 0).</summary>
    public int NodeStart(int node) => _nodeStart[node];

    /// <summary>The frame's peak count.</summary>
    public int PeakCount => _nodeStart[_nodeCount];

    /// <summary>Groups one frame's peaks by node and lists the candidates of every edge.</summary>
    /// <param name="peakChannels">The node (confidence-map channel) of each of the frame's peaks, in frame order.</param>
    public void Build(ReadOnlySpan<int> peakChannels)
    {
        // Counting sort by node: stable, like SLEAP's argsort of the channel indices.
        Array.Clear(_nodeStart);
        foreach (int channel in peakChannels)
        {
            if ((uint)channel >= (uint)_nodeCount)
                throw new ArgumentOutOfRangeException(nameof(peakChannels), $"A peak has channel {channel}; the skeleton has {_nodeCount} nodes.");
            _nodeStart[channel + 1]++;
        }
        for (int k = 0; k < _nodeCount; k++)
            _nodeStart[k + 1] += _nodeStart[k];
        Grow(ref _nodePeaks, peakChannels.Length);
        Span<int> fill = _nodeCount <= 256 ? stackalloc int[_nodeCount] : new int[_nodeCount];
        _nodeStart.AsSpan(0, _nodeCount).CopyTo(fill);
        for (int i = 0; i < peakChannels.Length; i++)
            _nodePeaks[fill[peakChannels[i]]++] = i;

        int total = 0;
        for (int k = 0; k < _edges.Length; k++)
        {
            _edgeStart[k] = total;
            total += SourceCount(k) * DestinationCount(k);
        }
        _edgeStart[_edges.Length] = total;
        Grow(ref _edgeOf, total);
        Grow(ref _sourcePeak, total);
        Grow(ref _destinationPeak, total);

        int at = 0;
        for (int k = 0; k < _edges.Length; k++)
        {
            var sources = NodePeaks(_edges[k].Source);
            var destinations = NodePeaks(_edges[k].Destination);
            foreach (int s in sources)
                foreach (int d in destinations)
                {
                    _edgeOf[at] = k;
                    _sourcePeak[at] = s;
                    _destinationPeak[at] = d;
                    at++;
                }
        }
    }

    /// <summary>The number of source-node peaks of an edge (rows of its block).</summary>
    public int SourceCount(int edge) => _nodeStart[_edges[edge].Source + 1] - _nodeStart[_edges[edge].Source];

    /// <summary>The number of destination-node peaks of an edge (columns of its block).</summary>
    public int DestinationCount(int edge) => _nodeStart[_edges[edge].Destination + 1] - _nodeStart[_edges[edge].Destination];

    private static void Grow(ref int[] buffer, int needed)
    {
        if (buffer.Length < needed)
            buffer = new int[Math.Max(needed, buffer.Length * 2)];
    }
}
