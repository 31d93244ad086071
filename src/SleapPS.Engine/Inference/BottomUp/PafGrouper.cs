using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// Groups one frame's peaks into instances with part affinity fields, as SLEAP's <c>PAFScorer.predict</c> does
/// (docs/design/inference.md §10.2 – §10.7): candidates, line scores, per-edge matching, <c>min_line_scores</c>, assembly in
/// <see cref="EdgeOrder"/>, instance scores. Holds its workspaces, so frames after the first allocate nothing
/// unless they have more peaks than any before. Not thread-safe.
/// </summary>
public sealed class PafGrouper
{
    private readonly int _pafStride;
    private readonly InferenceSettings _settings;
    private readonly float _minLineScore;
    private readonly EdgeMatcher _matcher = new();
    private readonly InstanceAssembler _assembler;
    private readonly int[] _peaksPerNode;
    private readonly int[] _keptStart;       // edge k's kept connections: [_keptStart[k] .. _keptStart[k + 1])
    private float[] _lineScores = new float[64];
    private int[] _keptSource = new int[16];  // indices within the source node
    private int[] _keptDestination = new int[16];
    private float[] _keptScore = new float[16];
    private readonly int[] _edgeOrder;
    private readonly PafLineSampling _sampling;
    private PafLineScorer? _scorer;

    /// <param name="nodeCount">Confidence-map channels (the model's part names).</param>
    /// <param name="edges">The PAF edges as (source, destination) node indices, in PAF channel order.</param>
    /// <param name="pafStride">Image pixels per PAF grid cell.</param>
    /// <param name="settings">PafLinePoints, MaxEdgeLengthRatio, DistPenaltyWeight and MinLineScores are used.</param>
    /// <param name="sampling">How PAF lines are sampled: SLEAP 1.4's way, or sleap-nn's (docs/design/sleap-nn-inference.md §7).</param>
    public PafGrouper(int nodeCount, IReadOnlyList<(int Source, int Destination)> edges, int pafStride, InferenceSettings settings,
        PafLineSampling sampling = PafLineSampling.Linspace)
    {
        _sampling = sampling;
        ArgumentNullException.ThrowIfNull(settings);
        Candidates = new PafCandidates(nodeCount, edges);
        _edgeOrder = EdgeOrder.Toposort(edges);
        _pafStride = pafStride;
        _settings = settings;
        _minLineScore = (float)settings.MinLineScores; // SLEAP compares float32 scores with it in float32
        _assembler = new InstanceAssembler(nodeCount);
        _peaksPerNode = new int[nodeCount];
        _keptStart = new int[edges.Count + 1];
        Result = new GroupedInstances(nodeCount);
    }

    /// <summary>The edges in the order instances are assembled; edges missing from it are never used (docs/design/inference.md §Q6).</summary>
    public IReadOnlyList<int> EdgeVisitOrder => _edgeOrder;

    /// <summary>The last frame's candidates.</summary>
    public PafCandidates Candidates { get; }

    /// <summary>The last frame's line score of each candidate (parallel to <see cref="Candidates"/>).</summary>
    public ReadOnlySpan<float> LineScores => _lineScores.AsSpan(0, Candidates.Count);

    /// <summary>The last frame's instances.</summary>
    public GroupedInstances Result { get; }

    /// <summary>The scorer of the last frame (its max edge length depends on the PAF map's shape).</summary>
    public PafLineScorer Scorer => _scorer ?? throw new InvalidOperationException("No frame has been grouped yet.");

    /// <summary>Groups one frame; <paramref name="pafs"/> is that frame alone (a batch of one).</summary>
    public GroupedInstances Group(ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<float> peakValues,
        ReadOnlySpan<int> peakChannels, MapView pafs)
    {
        if (pafs.Batch != 1)
            throw new ArgumentException($"Expected the PAFs of one frame, got a batch of {pafs.Batch}.", nameof(pafs));
        return Group(peakX, peakY, peakValues, peakChannels, pafs.AsSpan(), pafs.Height, pafs.Width, pafs.Channels);
    }

    /// <summary>
    /// Groups one frame. Peaks are in the frame's peak order (docs/design/inference.md §6.2), in image pixels of the network input
    /// (peak grid position × confidence-map stride); <paramref name="pafs"/> is the frame's HWC part affinity fields.
    /// </summary>
    public GroupedInstances Group(ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<float> peakValues,
        ReadOnlySpan<int> peakChannels, ReadOnlySpan<float> pafs, int pafHeight, int pafWidth, int pafChannels)
    {
        RequireOneEntryPerPeak(peakX, peakY, peakValues, peakChannels);
        EnsureScorer(pafHeight, pafWidth, pafChannels);

        Candidates.Build(peakChannels);
        // Like SLEAP, only edges with candidates read the PAFs, so only they need their two channels.
        for (int k = 0; k < Candidates.EdgeCount; k++)
            if (Candidates.SourceCount(k) * Candidates.DestinationCount(k) > 0 && 2 * k + 1 >= pafChannels)
                throw new ArgumentException($"The PAFs have {pafChannels} channels; edge {k} needs channels {2 * k} and {2 * k + 1}.", nameof(pafChannels));
        ScoreCandidates(peakX, peakY, pafs, pafHeight, pafWidth, pafChannels);
        MatchEdges();
        Assemble();
        return Emit(peakX, peakY, peakValues);
    }

    /// <summary>
    /// Groups one frame whose candidate connections were scored elsewhere: a sleap-nn export scores them in its graph
    /// (docs/design/sleap-nn-exports.md §3.5). Peaks are as for <see cref="Group(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, MapView)"/>;
    /// <paramref name="scores"/> gives each candidate's line score. Matching, min_line_scores, assembly and instance
    /// scores are the same.
    /// </summary>
    public GroupedInstances GroupScored(ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<float> peakValues,
        ReadOnlySpan<int> peakChannels, ICandidateScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        RequireOneEntryPerPeak(peakX, peakY, peakValues, peakChannels);
        Candidates.Build(peakChannels);
        int count = EnsureLineScores();
        var edges = Candidates.EdgeIndices;
        var sources = Candidates.SourcePeaks;
        var destinations = Candidates.DestinationPeaks;
        for (int i = 0; i < count; i++)
            _lineScores[i] = scores.Score(edges[i], sources[i], destinations[i]);
        MatchEdges();
        Assemble();
        return Emit(peakX, peakY, peakValues);
    }

    private static void RequireOneEntryPerPeak(ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<float> peakValues, ReadOnlySpan<int> peakChannels)
    {
        int peaks = peakChannels.Length;
        if (peakX.Length != peaks || peakY.Length != peaks || peakValues.Length != peaks)
            throw new ArgumentException("Peak coordinates, values and channels must have one entry per peak.");
    }

    /// <summary>Makes room for one line score per candidate of the frame; returns the candidate count.</summary>
    private int EnsureLineScores()
    {
        int count = Candidates.Count;
        if (_lineScores.Length < count)
            _lineScores = new float[Math.Max(count, _lineScores.Length * 2)];
        return count;
    }

    private void EnsureScorer(int pafHeight, int pafWidth, int pafChannels)
    {
        float maxEdgeLength = PafLineScorer.MaxEdgeLength(_settings.MaxEdgeLengthRatio, pafHeight, pafWidth, pafChannels, _pafStride);
        if (_scorer is null || _scorer.MaxEdgeLengthPixels != maxEdgeLength)
            _scorer = new PafLineScorer(_settings.PafLinePoints, _pafStride, maxEdgeLength, (float)_settings.DistPenaltyWeight, _sampling);
    }

    private void ScoreCandidates(ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<float> pafs, int pafHeight, int pafWidth, int pafChannels)
    {
        int count = EnsureLineScores();
        var edges = Candidates.EdgeIndices;
        var sources = Candidates.SourcePeaks;
        var destinations = Candidates.DestinationPeaks;
        for (int i = 0; i < count; i++)
        {
            int s = sources[i], d = destinations[i];
            _lineScores[i] = _scorer!.Score(pafs, pafHeight, pafWidth, pafChannels, edges[i], peakX[s], peakY[s], peakX[d], peakY[d]);
        }
    }

    private void MatchEdges()
    {
        int edges = Candidates.EdgeCount;
        int capacity = 0;
        for (int k = 0; k < edges; k++)
            capacity += Math.Min(Candidates.SourceCount(k), Candidates.DestinationCount(k));
        if (_keptSource.Length < capacity)
        {
            int size = Math.Max(capacity, _keptSource.Length * 2);
            _keptSource = new int[size];
            _keptDestination = new int[size];
            _keptScore = new float[size];
        }

        int kept = 0;
        for (int k = 0; k < edges; k++)
        {
            _keptStart[k] = kept;
            int rows = Candidates.SourceCount(k), columns = Candidates.DestinationCount(k);
            var block = _lineScores.AsSpan(Candidates.EdgeStart(k), rows * columns);
            int matched = _matcher.Match(block, rows, columns,
                _keptSource.AsSpan(kept), _keptDestination.AsSpan(kept), _keptScore.AsSpan(kept));
            // Keep a match iff score >= min_line_scores (NaN fails), compacting in place.
            int end = kept + matched;
            for (int i = kept; i < end; i++)
            {
                if (!(_keptScore[i] >= _minLineScore))
                    continue;
                _keptSource[kept] = _keptSource[i];
                _keptDestination[kept] = _keptDestination[i];
                _keptScore[kept] = _keptScore[i];
                kept++;
            }
        }
        _keptStart[edges] = kept;
    }

    private void Assemble()
    {
        for (int node = 0; node < _peaksPerNode.Length; node++)
            _peaksPerNode[node] = Candidates.NodePeaks(node).Length;
        _assembler.Reset(_peaksPerNode);
        foreach (int k in _edgeOrder)
        {
            var (sourceNode, destinationNode) = Candidates.Edge(k);
            for (int i = _keptStart[k]; i < _keptStart[k + 1]; i++)
                _assembler.Connect(sourceNode, _keptSource[i], destinationNode, _keptDestination[i]);
        }
    }

    private GroupedInstances Emit(ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<float> peakValues)
    {
        int count = _assembler.Finish();
        var result = Result;
        result.Reset(count);
        int nodes = result.NodeCount;

        // Instance score: the sum, in visiting order, of the line scores of connections whose source is assigned.
        var scores = result.Scores;
        foreach (int k in _edgeOrder)
        {
            int sourceNode = Candidates.Edge(k).Source;
            for (int i = _keptStart[k]; i < _keptStart[k + 1]; i++)
            {
                int instance = _assembler.InstanceIndexOf(sourceNode, _keptSource[i]);
                if (instance >= 0)
                    scores[instance] += _keptScore[i];
            }
        }

        // Points in first-assignment order, so of two peaks of one node in one instance the later one wins.
        var points = result.Points;
        var values = result.Values;
        for (int i = 0; i < _assembler.AssignedCount; i++)
        {
            var (node, local) = _assembler.AssignedPeak(i);
            int instance = _assembler.InstanceIndexOf(node, local);
            int peak = Candidates.NodePeaks(node)[local];
            int at = instance * nodes + node;
            points[2 * at] = peakX[peak];
            points[2 * at + 1] = peakY[peak];
            values[at] = peakValues[peak];
        }
        return result;
    }
}
