using SleapPS.Engine;
using SleapPS.Engine.Inference.BottomUp;
using SleapPS.Engine.Models;

namespace SleapPS.Tests.Inference.BottomUp;

/// <summary>docs/design/references.md §3.2: SLEAP's test_paf_grouping.py cases, number for number.</summary>
public class PafGroupingAnchorTests
{
    // arange(6*4*2).reshape(6, 4, 2): the PAF of SLEAP's line tests (one edge, 6x4 grid).
    private static readonly float[] RampPafs = Enumerable.Range(0, 48).Select(i => (float)i).ToArray();

    [Fact]
    public void Candidates_are_all_source_destination_pairs_source_major()
    {
        var candidates = new PafCandidates(4, [(0, 1), (1, 2), (2, 3)]);
        candidates.Build([0, 0, 0, 1, 1, 2]);

        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1], candidates.EdgeIndices.ToArray());
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 4], candidates.SourcePeaks.ToArray());
        Assert.Equal([3, 4, 3, 4, 3, 4, 5, 5], candidates.DestinationPeaks.ToArray());
        Assert.Equal(0, candidates.SourceCount(2) * candidates.DestinationCount(2)); // node 3 has no peaks
    }

    [Fact]
    public void Candidates_keep_frame_order_within_a_node()
    {
        var candidates = new PafCandidates(2, [(0, 1)]);
        candidates.Build([1, 0, 1, 0]);

        Assert.Equal([1, 3], candidates.NodePeaks(0).ToArray());
        Assert.Equal([0, 2], candidates.NodePeaks(1).ToArray());
        Assert.Equal([1, 1, 3, 3], candidates.SourcePeaks.ToArray());
        Assert.Equal([0, 2, 0, 2], candidates.DestinationPeaks.ToArray());
    }

    [Fact]
    public void Line_subscripts_sample_both_ends_at_the_paf_stride()
    {
        var scorer = new PafLineScorer(linePoints: 3, pafStride: 2, maxEdgeLength: 2, distPenaltyWeight: 1);
        var cells = Enumerable.Range(0, 3).Select(l => scorer.SampleCell(0, 0, 4, 8, l, 6, 4)).ToArray();

        Assert.Equal([(0, 0), (2, 1), (4, 2)], cells);
    }

    [Fact]
    public void Paf_lines_read_both_channels_of_the_edge()
    {
        var scorer = new PafLineScorer(3, 2, 2, 1);
        var lines = Enumerable.Range(0, 3).Select(l =>
        {
            var (row, col) = scorer.SampleCell(0, 0, 4, 8, l, 6, 4);
            int at = (row * 4 + col) * 2;
            return (RampPafs[at], RampPafs[at + 1]);
        }).ToArray();

        Assert.Equal([(0f, 1f), (18f, 19f), (36f, 37f)], lines);
    }

    [Fact]
    public void Line_score_is_the_mean_projection_plus_the_distance_penalty()
    {
        var scorer = new PafLineScorer(3, 2, maxEdgeLength: 2, distPenaltyWeight: 1);
        float score = scorer.Score(RampPafs, 6, 4, 2, 0, 0, 0, 4, 8);

        Assert.Equal(24.27, score, 0.01);
        // The exact parts: mean of P·u over the 3 samples, and 2/√80 − 1.
        double u = 1 / Math.Sqrt(80);
        double mean = ((0 * 4 + 1 * 8) + (18 * 4 + 19 * 8) + (36 * 4 + 37 * 8)) * u / 3;
        Assert.Equal(mean + 2 / Math.Sqrt(80) - 1, score, 1e-4);
    }

    [Fact]
    public void Distance_penalty_is_zero_up_to_the_max_length_then_towards_minus_weight()
    {
        float[] lengths = [1, 2, 3, 4];
        Assert.Equal([0, 0, 2f / 3 - 1, 2f / 4 - 1], lengths.Select(l => PafLineScorer.DistancePenalty(l, 2, 1)).ToArray(), new Tol(1e-6));
        Assert.Equal([0, 0, -0.6666666f, -1], lengths.Select(l => PafLineScorer.DistancePenalty(l, 2, 2)).ToArray(), new Tol(1e-6));
    }

    [Fact]
    public void Max_edge_length_takes_the_maximum_over_the_paf_shape_including_its_channels()
    {
        // SLEAP's batch test: 6x4x2 PAFs, ratio 2/12, stride 2 -> 2/12 * 6 * 2 = 2.
        Assert.Equal(2f, PafLineScorer.MaxEdgeLength(2.0 / 12, 6, 4, 2, 2), 1e-6f);
        // docs/design/inference.md §Q5: a 13-edge skeleton (26 channels) on a 12x16 map uses 26, not 16.
        Assert.Equal(0.25f * 26 * 4, PafLineScorer.MaxEdgeLength(0.25, 12, 16, 26, 4));
    }

    [Fact]
    public void Batch_scoring_of_a_frame_gives_sleaps_line_score()
    {
        // score_paf_lines_batch: peaks (0,0) node 0 and (4,8) node 1, edges [[0,1],[1,2],[2,3]], ratio 2/12.
        var grouper = new PafGrouper(4, [(0, 1), (1, 2), (2, 3)], pafStride: 2,
            new InferenceSettings { PafLinePoints = 3, MaxEdgeLengthRatio = 2.0 / 12, DistPenaltyWeight = 1, MinLineScores = 0.25 });
        grouper.Group([0, 4], [0, 8], [1, 1], [0, 1], RampPafs, 6, 4, 2);

        Assert.Equal([0], grouper.Candidates.EdgeIndices.ToArray());
        Assert.Equal([0], grouper.Candidates.SourcePeaks.ToArray());
        Assert.Equal([1], grouper.Candidates.DestinationPeaks.ToArray());
        Assert.Equal(24.27, grouper.LineScores[0], 0.01);
        Assert.Equal(2f, grouper.Scorer.MaxEdgeLengthPixels, 1e-6f);
    }

    [Fact]
    public void Matching_pairs_each_source_with_its_best_destination()
    {
        // match_candidates_sample: candidates (0,1) score -0.5 and (2,1) score 1.0: sources {0, 2}, destination {1}.
        var matcher = new EdgeMatcher();
        Span<int> src = stackalloc int[1], dst = stackalloc int[1];
        Span<float> score = stackalloc float[1];
        int n = matcher.Match([-0.5f, 1.0f], 2, 1, src, dst, score);

        Assert.Equal(1, n);
        Assert.Equal(1, src[0]);    // the second source peak (frame peak 2)
        Assert.Equal(0, dst[0]);    // the only destination peak (frame peak 1)
        Assert.Equal(1.0f, score[0]);
    }

    [Fact]
    public void Matching_returns_min_rows_columns_pairs_whatever_their_scores()
    {
        var matcher = new EdgeMatcher();
        var src = new int[3];
        var dst = new int[3];
        var score = new float[3];
        // 3 sources x 2 destinations, all scores negative: still 2 pairs, maximising the total.
        int n = matcher.Match([-0.9f, -0.1f, -0.2f, -0.8f, -0.5f, -0.5f], 3, 2, src, dst, score);

        Assert.Equal(2, n);
        Assert.Equal([0, 1], src[..2]);
        Assert.Equal([1, 0], dst[..2]);
        Assert.Equal([-0.1f, -0.2f], score[..2]);
    }

    [Fact]
    public void Matching_never_pairs_a_nan_score()
    {
        var matcher = new EdgeMatcher();
        var src = new int[2];
        var dst = new int[2];
        var score = new float[2];
        int n = matcher.Match([float.NaN, 0.3f, 0.9f, float.NaN], 2, 2, src, dst, score);

        Assert.Equal(2, n);
        Assert.Equal([0, 1], src);
        Assert.Equal([1, 0], dst);
        // A 1x1 NaN block has no finite assignment (SLEAP raises): no pair.
        Assert.Equal(0, matcher.Match([float.NaN], 1, 1, src, dst, score));
    }

    [Fact]
    public void Grouping_five_peaks_gives_sleaps_two_instances()
    {
        // group_instances_sample: peaks (0,1),(2,3),(4,5),(6,7),(8,9), values 0..4, channels [0,1,2,0,1]; edges 0->1, 1->2;
        // PAFs that score every candidate 1 for matched pairs are replaced here by a map built so the matching is the anchor's:
        // edge 0 pairs node-0 peak i with node-1 peak i; edge 1 pairs node-1 peak 0 with node-2 peak 0.
        var assembler = new InstanceAssembler(3);
        assembler.Reset([2, 2, 1]);
        assembler.Connect(0, 0, 1, 0); // edge 0 (visited first), match 0
        assembler.Connect(0, 1, 1, 1); // edge 0, match 2
        assembler.Connect(1, 0, 2, 0); // edge 1
        Assert.Equal(2, assembler.Finish());
        Assert.Equal([0, 0, 0, 1, 1], new[] { (0, 0), (1, 0), (2, 0), (0, 1), (1, 1) }.Select(p => assembler.InstanceIndexOf(p.Item1, p.Item2)));
    }

    [Fact]
    public void Grouper_builds_instances_points_values_and_scores_like_group_instances_sample()
    {
        // The same 5 peaks through the whole grouper: a PAF whose x channel is 1 everywhere scores every left-to-right
        // horizontal line 1; peaks are placed so that the anchor's matches are the best ones.
        // Peaks (x, y): node 0 at (0,0) and (0,20); node 1 at (10,0) and (10,20); node 2 at (20,0).
        const int h = 16, w = 16;
        var pafs = new float[h * w * 4];
        for (int i = 0; i < h * w; i++)
        {
            pafs[i * 4] = 1;      // edge 0 x
            pafs[i * 4 + 2] = 1;  // edge 1 x
        }
        var grouper = new PafGrouper(3, [(0, 1), (1, 2)], pafStride: 2, new InferenceSettings { MaxEdgeLengthRatio = 10 });
        float[] x = [0, 10, 20, 0, 10], y = [0, 0, 0, 20, 20], values = [0, 1, 2, 3, 4];
        var result = grouper.Group(x, y, values, [0, 1, 2, 0, 1], pafs, h, w, 4);

        Assert.Equal(2, result.Count);
        Assert.Equal([0, 0, 10, 0, 20, 0, 0, 20, 10, 20, float.NaN, float.NaN], result.Points.ToArray());
        Assert.Equal([0, 1, 2, 3, 4, float.NaN], result.Values.ToArray());
        Assert.Equal([2f, 1f], result.Scores.ToArray());
    }

    [Fact]
    public void Min_line_scores_drops_weak_connections_and_their_lone_peaks()
    {
        const int h = 8, w = 8;
        var pafs = new float[h * w * 2];
        for (int i = 0; i < h * w; i++)
            pafs[i * 2] = 0.5f;
        float[] x = [0, 10], y = [0, 0];
        var keeps = new PafGrouper(2, [(0, 1)], 2, new InferenceSettings { MinLineScores = 0.5, MaxEdgeLengthRatio = 10 });
        Assert.Equal(1, keeps.Group(x, y, [1, 1], [0, 1], pafs, h, w, 2).Count); // kept iff score >= min

        var drops = new PafGrouper(2, [(0, 1)], 2, new InferenceSettings { MinLineScores = 0.51, MaxEdgeLengthRatio = 10 });
        Assert.Equal(0, drops.Group(x, y, [1, 1], [0, 1], pafs, h, w, 2).Count);
    }

    [Fact]
    public void Toposort_example_1_starts_at_the_root_and_goes_breadth_first()
    {
        (int, int)[] edges = [(5, 7), (5, 8), (5, 9), (5, 6), (5, 11), (5, 12), (1, 0), (1, 3), (1, 2), (1, 10), (1, 13), (1, 14), (4, 5), (4, 1)];
        Assert.Equal([12, 13, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], EdgeOrder.Toposort(edges));
    }

    [Fact]
    public void Toposort_example_2_finds_the_root_that_is_not_first()
    {
        (int, int)[] edges = [(1, 4), (1, 5), (6, 8), (6, 7), (6, 9), (9, 10), (1, 0), (1, 3), (1, 2), (6, 1)];
        Assert.Equal([2, 3, 4, 9, 5, 0, 1, 6, 7, 8], EdgeOrder.Toposort(edges));
    }

    [Fact]
    public void Toposort_ignores_edges_not_reachable_from_the_first_root()
    {
        // docs/design/inference.md §Q6: a second component (2->3) and a second parent of node 1 (4->1) are left out.
        Assert.Equal([0], EdgeOrder.Toposort([(0, 1), (2, 3)]));
        Assert.Equal([0, 1, 2], EdgeOrder.Toposort([(0, 1), (0, 4), (4, 5), (4, 1)]));
    }

    [Fact]
    public void Toposort_of_a_cycle_without_root_is_an_error()
    {
        var error = Assert.Throws<SleapException>(() => EdgeOrder.Toposort([(0, 1), (1, 0)]));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Contains("cycle", error.Message);
    }

    // test_assign_connections_to_instances: the fly example, connections by edge type.
    private static readonly ((int Src, int Dst) Edge, (int Src, int Dst)[] Connections)[] FlyConnections =
    [
        ((5, 7), [(0, 0)]), ((5, 8), [(0, 0)]), ((5, 9), [(0, 0)]), ((5, 6), [(0, 1)]), ((5, 11), [(0, 0)]), ((5, 12), [(0, 0)]),
        ((1, 0), []), ((1, 3), []), ((1, 2), []), ((1, 10), []), ((1, 13), []), ((1, 14), []),
        ((4, 5), [(0, 0)]), ((4, 1), [(0, 0)]),
    ];

    [Fact]
    public void Assignment_in_list_order_splits_the_fly_into_two_instances()
    {
        var assembler = Assemble(Enumerable.Range(0, FlyConnections.Length));

        foreach (var (node, peak) in new[] { (5, 0), (7, 0), (8, 0), (9, 0), (6, 1), (11, 0), (12, 0) })
            Assert.Equal(0, assembler.InstanceOf(node, peak));
        Assert.Equal(1, assembler.InstanceOf(4, 0));
        Assert.Equal(1, assembler.InstanceOf(1, 0));
        Assert.Equal(9, assembler.AssignedCount);
    }

    [Fact]
    public void Assignment_in_toposort_order_keeps_the_fly_in_one_instance()
    {
        var order = EdgeOrder.Toposort(FlyConnections.Select(c => c.Edge).ToArray());
        var assembler = Assemble(order);

        Assert.Equal(9, assembler.AssignedCount);
        for (int i = 0; i < assembler.AssignedCount; i++)
        {
            var (node, peak) = assembler.AssignedPeak(i);
            Assert.Equal(0, assembler.InstanceOf(node, peak));
        }
    }

    [Fact]
    public void Both_ends_assigned_merges_when_the_instances_share_no_node()
    {
        var assembler = new InstanceAssembler(4);
        assembler.Reset([1, 1, 1, 1]);
        assembler.Connect(0, 0, 1, 0); // instance 0: nodes 0, 1
        assembler.Connect(2, 0, 3, 0); // instance 1: nodes 2, 3
        assembler.Connect(1, 0, 2, 0); // both assigned, disjoint: instance 1 merges into 0
        Assert.All(Enumerable.Range(0, 4), n => Assert.Equal(0, assembler.InstanceOf(n, 0)));
        Assert.Equal(1, assembler.Finish());

        var kept = new InstanceAssembler(3);
        kept.Reset([2, 1, 1]);
        kept.Connect(0, 0, 1, 0); // instance 0: nodes 0, 1
        kept.Connect(0, 1, 2, 0); // instance 1: nodes 0, 2
        kept.Connect(1, 0, 2, 0); // node 2 moves to 0; what is left of 1 (node 0) overlaps: no merge
        Assert.Equal(0, kept.InstanceOf(2, 0));
        Assert.Equal(1, kept.InstanceOf(0, 1));

        var ignored = new InstanceAssembler(2);
        ignored.Reset([2, 1]);
        ignored.Connect(0, 0, 1, 0);
        ignored.Connect(0, 1, 1, 0); // only the destination assigned: nothing
        Assert.Equal(-1, ignored.InstanceOf(0, 1));
    }

    private static InstanceAssembler Assemble(IEnumerable<int> edgeOrder)
    {
        var assembler = new InstanceAssembler(15);
        assembler.Reset(Enumerable.Repeat(2, 15).ToArray());
        foreach (int k in edgeOrder)
        {
            var (edge, connections) = FlyConnections[k];
            foreach (var (src, dst) in connections)
                assembler.Connect(edge.Src, src, edge.Dst, dst);
        }
        return assembler;
    }

    private sealed class Tol(double tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
