using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Evaluation;

namespace SleapPS.Tests.Evaluation;

/// <summary>SLEAP's evaluation rules (docs/design/evaluation.md) on small hand-made labels whose metrics can be worked out by hand.</summary>
public class EvaluatorTests
{
    private static readonly Skeleton TwoNodes = Skeleton.FromNames("pair", ["A", "B"], [("A", "B")]);

    // ---- OKS (test_evals.py::test_compute_oks and the formula) ----

    [Fact]
    public void Oks_reproduces_SLEAPs_test_anchors()
    {
        var gt = Points(0, 0, 1, 1, 2, 2);
        Assert.Equal(1.0, ObjectKeypointSimilarity.Compute(gt, Points(0, 0, 1, 1, 2, 2)), 12);
        Assert.Equal(2.0 / 3, ObjectKeypointSimilarity.Compute(gt, Points(0, 0, 1, 1, double.NaN, double.NaN)), 12);
        var gtMissing = Points(0, 0, 1, 1, double.NaN, double.NaN);
        Assert.Equal(1.0, ObjectKeypointSimilarity.Compute(gtMissing, Points(0, 0, 1, 1, 2, 2)), 12);
        Assert.Equal(1.0, ObjectKeypointSimilarity.Compute(gtMissing, Points(0, 0, 1, 1, double.NaN, double.NaN)), 12);
        // SLEAP's test passes False as the scale: a zero area still gives 1 for exact points and 2/3 with one missing.
        Assert.Equal(1.0, ObjectKeypointSimilarity.Compute(gt, Points(0, 0, 1, 1, 2, 2), scale: 0), 12);
        Assert.Equal(2.0 / 3, ObjectKeypointSimilarity.Compute(gt, Points(0, 0, 1, 1, double.NaN, double.NaN), scale: 0), 12);
    }

    [Fact]
    public void Oks_uses_the_ground_truth_bounding_box_area_and_the_coco_normaliser()
    {
        // Area 10·10 = 100; normaliser (2·0.025)²·2·100 = 0.5; node A off by 1 px: exp(−1/0.5).
        var gt = Points(0, 0, 10, 10);
        double expected = (Math.Exp(-2) + 1) / 2;
        Assert.Equal(expected, ObjectKeypointSimilarity.Compute(gt, Points(1, 0, 10, 10)), 12);
        // Paper form: κ²·2·area² = 0.000625·2·10⁴ = 12.5.
        Assert.Equal((Math.Exp(-1 / 12.5) + 1) / 2, ObjectKeypointSimilarity.Compute(gt, Points(1, 0, 10, 10), useCocoEval: false), 12);
        // A given scale replaces the area; a larger κ forgives more.
        Assert.Equal((Math.Exp(-1 / (0.0025 * 2 * 400)) + 1) / 2, ObjectKeypointSimilarity.Compute(gt, Points(1, 0, 10, 10), scale: 400), 12);
        Assert.Equal((Math.Exp(-1 / (0.01 * 2 * 100)) + 1) / 2, ObjectKeypointSimilarity.Compute(gt, Points(1, 0, 10, 10), stddev: 0.05), 12);
        // A ground truth with no node has no OKS.
        Assert.True(double.IsNaN(ObjectKeypointSimilarity.Compute(Points(double.NaN, double.NaN, double.NaN, double.NaN), Points(1, 0, 10, 10))));
    }

    [Fact]
    public void A_point_marked_not_visible_counts_as_missing()
    {
        var instance = new Instance(TwoNodes, [new Point(0, 0), new Point(5, 5, Visible: false)]);
        var points = new PointsArray(instance);
        Assert.False(points.IsMissing(0));
        Assert.True(points.IsMissing(1));
        Assert.True(double.IsNaN(points.X(1)));
    }

    // ---- Matching, false negatives, VOC ----

    [Fact]
    public void The_highest_scoring_prediction_matches_first_and_leftover_predictions_are_not_counted()
    {
        var (gt, pr, video) = NewLabels();
        var gtFrame = Frame(gt, video, 0, User(100, 100, 110, 110));
        // Two predictions compete for the one animal: the better-scored one wins even though the other is closer.
        var closer = Predicted(0.5, 100, 100, 110, 110);
        var favoured = Predicted(0.9, 101, 100, 110, 110);
        Frame(pr, video, 0, closer, favoured);

        var metrics = Evaluator.Evaluate(gt, pr);

        var pair = Assert.Single(metrics.MatchedPairs);
        Assert.Same(favoured, pair.Predicted);
        Assert.Same(gtFrame.Instances[0], pair.GroundTruth);
        Assert.Equal((Math.Exp(-2) + 1) / 2, pair.Oks, 12);
        Assert.Equal(0, metrics.FalseNegativeCount);
        Assert.Equal(1, metrics.GroundTruthInstanceCount);
        // No false positives anywhere: the unmatched prediction does not lower precision.
        Assert.Equal(1.0, metrics.VisibilityPrecision);
        Assert.Equal([[1.0, 0.0]], metrics.Distances);
    }

    [Fact]
    public void Ground_truth_without_a_match_is_a_false_negative_and_halves_recall()
    {
        var (gt, pr, video) = NewLabels();
        Frame(gt, video, 3, User(100, 100, 110, 110), User(300, 300, 310, 310));
        Frame(pr, video, 3, Predicted(1.0, 100, 100, 110, 110));

        var metrics = Evaluator.Evaluate(gt, pr);

        Assert.Equal((1, 1, 2), (metrics.MatchedCount, metrics.FalseNegativeCount, metrics.GroundTruthInstanceCount));
        Assert.Equal(1.0, metrics.MeanOks, 12);
        // One detection at recall 0.5 with precision 1: recall thresholds 0.00..0.50 (51 of 101) see precision 1.
        Assert.All(metrics.OksVoc.Recalls, r => Assert.Equal(0.5, r));
        Assert.All(metrics.OksVoc.AveragePrecisions, ap => Assert.Equal(51.0 / 101, ap, 12));
        Assert.Equal(51.0 / 101, metrics.OksMap, 12);
        Assert.Equal(0.5, metrics.OksMar);
    }

    [Fact]
    public void Match_threshold_turns_a_poor_match_into_a_false_negative()
    {
        var (gt, pr, video) = NewLabels();
        Frame(gt, video, 0, User(100, 100, 110, 110));
        Frame(pr, video, 0, Predicted(1.0, 101, 100, 110, 110)); // OKS 0.5677
        var loose = Evaluator.Evaluate(gt, pr);
        Assert.Equal(1, loose.MatchedCount);

        var strict = Evaluator.Evaluate(gt, pr, new EvaluationOptions { MatchThreshold = 0.6 });
        Assert.Equal((0, 1), (strict.MatchedCount, strict.FalseNegativeCount));
        Assert.True(double.IsNaN(strict.MeanOks));
        Assert.All(strict.OksVoc.Recalls, r => Assert.Equal(0.0, r));
        Assert.Equal(0.0, strict.OksMap);
    }

    [Fact]
    public void Voc_ranks_pairs_by_prediction_score_and_keeps_precision_from_rising_with_rank()
    {
        var (gt, pr, video) = NewLabels();
        Frame(gt, video, 0, User(0, 0, 10, 10), User(100, 100, 110, 110));
        // The better-scored prediction is the poorer match (OKS ≈ 0.5677 < 0.6); the other is exact.
        Frame(pr, video, 0, Predicted(0.9, 1, 0, 10, 10), Predicted(0.4, 100, 100, 110, 110));

        var metrics = Evaluator.Evaluate(gt, pr);

        Assert.Equal([(Math.Exp(-2) + 1) / 2, 1.0], metrics.OksVoc.MatchScores);
        // At τ = 0.6: ranks give tp [0, 1], recall [0, 0.5], precision [0, 0.5] → envelope [0.5, 0.5].
        var atSixty = metrics.OksVoc.Precisions[2];
        Assert.Equal(0.6, metrics.OksVoc.MatchScoreThresholds[2], 12);
        Assert.Equal(0.5, atSixty[0], 12);
        Assert.Equal(0.5, atSixty[50], 12);
        Assert.Equal(0.0, atSixty[51]);
        Assert.Equal(0.5, metrics.OksVoc.Recalls[2]);
        // At τ = 0.5 both count: precision 1 up to recall 1.
        Assert.All(metrics.OksVoc.Precisions[0], p => Assert.Equal(1.0, p, 12));
    }

    // ---- Distances, PCK, visibility, per node ----

    [Fact]
    public void Distances_pck_visibility_and_per_node_figures_follow_SLEAPs_definitions()
    {
        var (gt, pr, video) = NewLabels();
        Frame(gt, video, 0, User(0, 0, 100, 100), User(200, 200, 300, 300));
        // Pair 1: A off by 3 px, B off by 4 px. Pair 2: A off by 12 px, B not found.
        Frame(pr, video, 0, Predicted(0.9, 3, 0, 100, 104), Predicted(0.8, 212, 200, double.NaN, double.NaN));

        var metrics = Evaluator.Evaluate(gt, pr);

        Assert.Equal([[3.0, 4.0], [12.0, double.NaN]], metrics.Distances);
        Assert.Equal((3 + 4 + 12) / 3.0, metrics.DistanceAverage, 12);
        // np.percentile of [3, 4, 12]: p50 = 4, p75 = 4 + 0.5·8 = 8, p90 = 4 + 0.8·8 = 10.4.
        Assert.Equal(4.0, metrics.DistanceP50, 12);
        Assert.Equal(8.0, metrics.DistanceP75, 12);
        Assert.Equal(10.4, metrics.DistanceP90, 12);
        // PCK: 3 px is correct at 4..10 (7 of 10), 4 px at 5..10 (6), 12 px never, missing never.
        Assert.Equal([(0.7 + 0.0) / 2, (0.6 + 0.0) / 2], metrics.Pck.PerNode);
        Assert.Equal((0.35 + 0.3) / 2, metrics.MeanPck, 12);
        Assert.Equal([(0.7 + 0.6) / 2, 0.0], metrics.PairPck);
        Assert.False(metrics.Pck.Hits[0][0][2]); // 3 < 3 is false: strict
        Assert.True(metrics.Pck.Hits[0][0][3]);
        // Visibility: three nodes in both, B of pair 2 only in the ground truth.
        Assert.Equal(new VisibilityMetrics(3, 0, 0, 1), metrics.Visibility);
        Assert.Equal((1.0, 0.75), (metrics.VisibilityPrecision, metrics.VisibilityRecall));
        // Per node.
        Assert.Equal(["A", "B"], metrics.PerNode.Select(n => n.Node));
        var a = metrics.PerNode[0];
        Assert.Equal((0.35, 7.5, 7.5, 2, 2), (a.MeanPck, a.DistanceAverage, a.DistanceP50, a.LocalizedCount, a.PairCount));
        var b = metrics.PerNode[1];
        Assert.Equal((0.3, 4.0, 4.0, 1), (b.MeanPck, b.DistanceAverage, b.DistanceP99, b.LocalizedCount));
    }

    [Fact]
    public void Ground_truth_points_on_a_line_have_zero_area_so_only_exact_nodes_score()
    {
        // SLEAP's default scale is the bounding-box area: a vertical instance has area 0, so any error gives OKS 0.
        var (gt, pr, video) = NewLabels();
        Frame(gt, video, 0, User(50, 0, 50, 10));
        Frame(pr, video, 0, Predicted(1, 50.01, 0, 50, 10.01));
        var metrics = Evaluator.Evaluate(gt, pr);
        Assert.Equal((0, 1), (metrics.MatchedCount, metrics.FalseNegativeCount));
        // An explicit scale avoids it.
        Assert.Equal(1, Evaluator.Evaluate(gt, pr, new EvaluationOptions { OksScale = 100 }).MatchedCount);
    }

    // ---- Frame pairing ----

    [Fact]
    public void Frames_pair_by_video_and_frame_index_and_frames_without_a_prediction_are_skipped()
    {
        var (gt, pr, video) = NewLabels();
        Frame(gt, video, 0, User(0, 0, 10, 10));
        Frame(gt, video, 5, User(0, 0, 10, 10));
        Frame(pr, video, 5, Predicted(1, 0, 0, 10, 10));
        Frame(pr, video, 6, Predicted(1, 0, 0, 10, 10));

        var metrics = Evaluator.Evaluate(gt, pr);

        Assert.Equal(5, Assert.Single(metrics.FramePairs).GroundTruth.FrameIndex);
        Assert.Equal([5L], (long[])metrics.ToSleapDictionary()["dist.frame_idxs"]);
        Assert.Equal(["session.mp4"], (string[])metrics.ToSleapDictionary()["dist.video_paths"]);
    }

    [Fact]
    public void Only_frames_with_user_instances_are_ground_truth_unless_asked()
    {
        var (gt, pr, video) = NewLabels();
        Frame(gt, video, 0, Predicted(0.5, 0, 0, 10, 10));
        Frame(pr, video, 0, Predicted(1, 0, 0, 10, 10));

        var ex = Assert.Throws<SleapException>(() => Evaluator.Evaluate(gt, pr));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal("Nothing to evaluate: no labelled frame with user instances of the ground truth has a predicted frame in the predictions " +
                     "with the same video and frame index. Check that the predictions were made on the ground truth's video (same filename) and frames.",
            ex.Message);

        var metrics = Evaluator.Evaluate(gt, pr, new EvaluationOptions { UserLabelsOnly = false });
        Assert.Equal(1, metrics.MatchedCount);
        Assert.Equal(1.0, metrics.MeanOks, 12);
    }

    [Fact]
    public void Videos_match_by_backend_fields_as_SLEAP_compares_them()
    {
        var other = new Video("other.mp4", VideoBackend.Media);
        var color = new Video("session.mp4", VideoBackend.Media) { Grayscale = false };
        var same = new Video("session.mp4", VideoBackend.Media) { Grayscale = true };
        var unknown = new Video("session.mp4", VideoBackend.Media);
        var gtVideo = new Video("session.mp4", VideoBackend.Media) { Grayscale = true };
        Assert.False(VideoMatching.SameVideo(gtVideo, other));
        Assert.False(VideoMatching.SameVideo(gtVideo, color));
        Assert.True(VideoMatching.SameVideo(gtVideo, same));
        Assert.True(VideoMatching.SameVideo(gtVideo, unknown));
        Assert.False(VideoMatching.SameVideo(gtVideo, new Video("session.mp4", VideoBackend.Hdf5)));
        // Stored differently but found at the same place.
        var moved = new Video("/old/machine/session.mp4", VideoBackend.Media) { ResolvedPath = "/data/session.mp4" };
        var here = new Video("session.mp4", VideoBackend.Media) { ResolvedPath = "/data/session.mp4" };
        Assert.True(VideoMatching.SameVideo(moved, here));
    }

    [Fact]
    public void Two_prediction_frames_for_one_video_frame_are_refused()
    {
        var (gt, pr, video) = NewLabels();
        Frame(gt, video, 2, User(0, 0, 10, 10));
        Frame(pr, video, 2, Predicted(1, 0, 0, 10, 10));
        Frame(pr, video, 2, Predicted(1, 0, 0, 10, 10));
        var ex = Assert.Throws<SleapException>(() => Evaluator.Evaluate(gt, pr));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith("The predictions hold 2 labelled frames for frame 2 of 'session.mp4'", ex.Message);
    }

    [Fact]
    public void Skeletons_of_different_sizes_are_refused_with_both_names()
    {
        var (gt, pr, video) = NewLabels();
        Frame(gt, video, 0, User(0, 0, 10, 10));
        var three = Skeleton.FromNames("three", ["A", "B", "C"]);
        Frame(pr, video, 0, new PredictedInstance(three, [new Point(0, 0), new Point(1, 1), new Point(2, 2)], 1.0));
        var ex = Assert.Throws<SleapException>(() => Evaluator.Evaluate(gt, pr));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Contains("has 2 nodes (skeleton 'pair') but a predicted instance has 3 (skeleton 'three')", ex.Message);
    }

    // ---- helpers ----

    private static PointsArray Points(params double[] xy) => new(xy);

    private static (Labels Gt, Labels Pr, Video Video) NewLabels()
    {
        var gt = new Labels();
        var pr = new Labels();
        // Two Video objects with the same filename: the files each have their own.
        gt.Videos.Add(new Video("session.mp4", VideoBackend.Media));
        pr.Videos.Add(new Video("session.mp4", VideoBackend.Media));
        return (gt, pr, gt.Videos[0]);
    }

    /// <summary>Adds a frame to the labels, on that labels' own video object.</summary>
    private static LabeledFrame Frame(Labels labels, Video gtVideo, long index, params Instance[] instances)
    {
        var frame = new LabeledFrame(labels.Videos[0], index, instances);
        labels.LabeledFrames.Add(frame);
        return frame;
    }

    private static Instance User(double ax, double ay, double bx, double by) =>
        new(TwoNodes, [new Point(ax, ay), new Point(bx, by)]);

    private static PredictedInstance Predicted(double score, double ax, double ay, double bx, double by) =>
        new(TwoNodes, [new Point(ax, ay, Score: 1), new Point(bx, by, Score: 1)], score);
}
