namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// Assigns the peaks of matched connections to instances, connection by connection (SLEAP's
/// <c>assign_connections_to_instances</c>, docs/design/inference.md §10.6), then numbers the instances 0..M−1 in ascending id order
/// (np.unique). Peaks are named by (node, index within the node). One object serves frame after frame.
/// </summary>
public sealed class InstanceAssembler
{
    private readonly int _nodeCount;
    private readonly int[] _nodeStart;
    private readonly bool[] _nodeInSource;
    private int[] _instance = new int[16];   // per peak (node-grouped order): instance id, -1 when unassigned
    private int[] _assigned = new int[16];   // peaks in the order they were first assigned (a Python dict's key order)
    private int[] _rank = new int[16];       // instance id -> output index after Finish
    private int _assignedCount;

    public InstanceAssembler(int nodeCount)
    {
        _nodeCount = nodeCount;
        _nodeStart = new int[nodeCount + 1];
        _nodeInSource = new bool[nodeCount];
    }

    /// <summary>Starts a frame whose nodes have these numbers of peaks; every peak is unassigned.</summary>
    public void Reset(ReadOnlySpan<int> peaksPerNode)
    {
        if (peaksPerNode.Length != _nodeCount)
            throw new ArgumentException($"Expected a peak count for each of the {_nodeCount} nodes, got {peaksPerNode.Length}.", nameof(peaksPerNode));
        for (int k = 0; k < _nodeCount; k++)
            _nodeStart[k + 1] = _nodeStart[k] + peaksPerNode[k];
        int peaks = _nodeStart[_nodeCount];
        if (_instance.Length < peaks)
        {
            int size = Math.Max(peaks, _instance.Length * 2);
            _instance = new int[size];
            _assigned = new int[size];
            _rank = new int[size];
        }
        _instance.AsSpan(0, peaks).Fill(-1);
        _assignedCount = 0;
    }

    /// <summary>
    /// Applies one connection. Neither end assigned: both join a new instance (id = largest id in use + 1). Only the
    /// source assigned: the destination joins it. Both assigned: the destination moves to the source's instance, and
    /// if the source's instance and what is left of the destination's old one share no node, the old one merges into
    /// the source's. Only the destination assigned: nothing happens.
    /// </summary>
    public void Connect(int sourceNode, int sourcePeak, int destinationNode, int destinationPeak)
    {
        int src = PeakId(sourceNode, sourcePeak), dst = PeakId(destinationNode, destinationPeak);
        int srcInstance = _instance[src], dstInstance = _instance[dst];
        if (srcInstance < 0 && dstInstance < 0)
        {
            int id = LargestId() + 1;
            Assign(src, id);
            Assign(dst, id);
        }
        else if (srcInstance >= 0 && dstInstance < 0)
        {
            Assign(dst, srcInstance);
        }
        else if (srcInstance >= 0)
        {
            _instance[dst] = srcInstance;
            if (NodesDisjoint(srcInstance, dstInstance))
                for (int i = 0; i < _assignedCount; i++)
                    if (_instance[_assigned[i]] == dstInstance)
                        _instance[_assigned[i]] = srcInstance;
        }
    }

    /// <summary>The instance id of a peak before renumbering, or −1 when it is in no instance.</summary>
    public int InstanceOf(int node, int peak) => _instance[PeakId(node, peak)];

    /// <summary>Renumbers the instance ids 0..M−1 in ascending order and returns M.</summary>
    public int Finish()
    {
        int largest = LargestId();
        if (largest < 0)
            return 0;
        if (_rank.Length <= largest)
            _rank = new int[largest + 1];
        _rank.AsSpan(0, largest + 1).Fill(-1);
        for (int i = 0; i < _assignedCount; i++)
            _rank[_instance[_assigned[i]]] = 0; // in use
        int count = 0;
        for (int id = 0; id <= largest; id++)
            if (_rank[id] == 0)
                _rank[id] = count++;
        return count;
    }

    /// <summary>After <see cref="Finish"/>: the output index of a peak's instance, or −1.</summary>
    public int InstanceIndexOf(int node, int peak)
    {
        int id = _instance[PeakId(node, peak)];
        return id < 0 ? -1 : _rank[id];
    }

    /// <summary>The assigned peaks as (node, index within node), in the order they were first assigned.</summary>
    public int AssignedCount => _assignedCount;

    public (int Node, int Peak) AssignedPeak(int i)
    {
        int id = _assigned[i];
        int node = NodeOf(id);
        return (node, id - _nodeStart[node]);
    }

    private int PeakId(int node, int peak)
    {
        if ((uint)node >= (uint)_nodeCount || (uint)peak >= (uint)(_nodeStart[node + 1] - _nodeStart[node]))
            throw new ArgumentOutOfRangeException(nameof(peak), $"Node {node} has no peak {peak}.");
        return _nodeStart[node] + peak;
    }

    private void Assign(int peak, int id)
    {
        _instance[peak] = id;
        _assigned[_assignedCount++] = peak;
    }

    private int LargestId()
    {
        int largest = -1;
        for (int i = 0; i < _assignedCount; i++)
            largest = Math.Max(largest, _instance[_assigned[i]]);
        return largest;
    }

    // The nodes of the source instance (now including the moved destination) against those left in the old one.
    private bool NodesDisjoint(int sourceInstance, int oldInstance)
    {
        Array.Clear(_nodeInSource);
        for (int i = 0; i < _assignedCount; i++)
            if (_instance[_assigned[i]] == sourceInstance)
                _nodeInSource[NodeOf(_assigned[i])] = true;
        for (int i = 0; i < _assignedCount; i++)
            if (_instance[_assigned[i]] == oldInstance && _nodeInSource[NodeOf(_assigned[i])])
                return false;
        return true;
    }

    private int NodeOf(int peakId)
    {
        int node = 0;
        while (_nodeStart[node + 1] <= peakId)
            node++;
        return node;
    }
}
