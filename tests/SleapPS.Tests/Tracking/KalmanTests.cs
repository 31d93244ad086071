using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.Tracking;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Tracking;

/// <summary>SLEAP's Kalman filter tracker: the filter math, its matching rules and SLEAP's test_kalman_tracker anchor.</summary>
public sealed class KalmanTests(ITestOutputHelper output)
{
    private static readonly string PredictionsPath = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");
    private static readonly Lazy<Labels> Predictions = new(() => LabelsReader.Read(PredictionsPath));

    // Two nodes moving at constant velocity: x₀ = 10 + 2t, y₀ = 20 − t, x₁ = 30 + t/2, y₁ = 40 + 3t.
    private static double[][] ConstantVelocityTrack(int steps) =>
        Enumerable.Range(0, steps).Select(t => new[] { 10 + 2.0 * t, 20 - 1.0 * t, 30 + 0.5 * t, 40 + 3.0 * t }).ToArray();

    [Fact]
    public void Fitted_filter_predicts_the_next_positions_of_a_constant_velocity_track()
    {
        var (filter, last) = KalmanFilter.Fit(ConstantVelocityTrack(10));

        // After the 10th observation (t = 9) the state is the last position and the velocities.
        AssertClose([28, 2, 11, -1, 34.5, 0.5, 67, 3], last.Mean, 1e-6);
        var next = KalmanFilter.PositionsOf(filter.FilterUpdate(last, null).Mean);
        AssertClose([30, 10, 35, 70], next, 1e-6);
        // Each prediction corrected by the true position predicts the following one.
        var state = last;
        foreach (var observation in ConstantVelocityTrack(15).Skip(10))
        {
            AssertClose(observation, KalmanFilter.PositionsOf(filter.FilterUpdate(state, null).Mean), 1e-6);
            state = filter.FilterUpdate(state, observation);
        }
    }

    [Fact]
    public void EM_matches_pykalman_on_the_constant_velocity_track()
    {
        var (filter, last) = KalmanFilter.Fit(ConstantVelocityTrack(10));

        // pykalman 0.11.2 (KalmanFilter(transition, observation, initial_state_mean).em(obs, n_iter=20).filter(obs)) on the same data.
        AssertClose([27.999999996358586, 1.9999999759977012, 11.000000001820707, -0.9999999879988504,
            34.499999999089646, 0.49999999399942496, 66.99999999453787, 2.9999999639965536], last.Mean, 1e-9);
        AssertClose([0.00015508659751705, 0.00014322884649261, 0.0001402644087346, 0.00017484951589414],
            Diagonal(filter.ObservationCovariance), 1e-9);
        AssertClose([0.00051839385310121, 0.00070688108377029, 0.00047759241855151, 0.00065009517360309,
            0.00046739205991142, 0.00063589869605924, 0.00058639624401751, 0.0008015242673815], Diagonal(filter.TransitionCovariance), 1e-9);
        AssertClose([10.000125590836985, 1.999251025831692, 19.99993720458151, -0.9996255129158453,
            30.000031397709243, 0.49981275645793105, 40.00018838625546, 2.9988765387475387], filter.InitialStateMean, 1e-9);
        AssertClose([7.1169074942645238e-05, 2.9363136624560582e-04, 6.5844989080687810e-05, 2.6996627807707174e-04,
            6.4513967572565889e-05, 2.6405000603421658e-04, 8.0042551417136565e-05, 3.3307317985986629e-04],
            Diagonal(filter.InitialStateCovariance), 1e-9);
    }

    [Fact]
    public void EM_stays_finite_and_settles_on_a_noisy_track()
    {
        var random = new Random(7);
        var observations = ConstantVelocityTrack(30).Select(o => o.Select(v => v + random.NextDouble() - 0.5).ToArray()).ToArray();
        var filter = KalmanFilter.ConstantVelocity(observations[0]);
        var previous = Diagonal(filter.ObservationCovariance);
        double lastChange = double.PositiveInfinity;
        for (int round = 0; round < 10; round++)
        {
            filter.Em(observations, 20);
            var current = Diagonal(filter.ObservationCovariance);
            Assert.All(current.Concat(Diagonal(filter.TransitionCovariance)).Concat(filter.InitialStateMean), v => Assert.True(double.IsFinite(v)));
            Assert.All(current, v => Assert.True(v > 0));
            lastChange = current.Zip(previous, (a, b) => Math.Abs(a - b)).Max();
            previous = current;
        }
        // Uniform noise of width 1 has variance 1/12: R ends near it, and EM has stopped moving.
        Assert.All(previous, v => Assert.InRange(v, 0.02, 0.2));
        Assert.True(lastChange < 1e-3, $"R still changes by {lastChange}");
    }

    [Fact]
    public void A_missing_observation_only_predicts()
    {
        var (filter, last) = KalmanFilter.Fit(ConstantVelocityTrack(10));
        var predicted = filter.FilterUpdate(last, null);
        var withNaN = filter.FilterUpdate(last, [30, double.NaN, 35, 70]);
        Assert.Equal(predicted.Mean, withNaN.Mean);
    }

    [Fact]
    public void Pseudo_inverse_inverts_a_covariance_and_zeroes_a_null_direction()
    {
        double[,] covariance = { { 4, 1, 0 }, { 1, 3, 1 }, { 0, 1, 2 } };
        var product = SmallMatrix.Multiply(covariance, SmallMatrix.PseudoInverse(covariance));
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(i == j ? 1 : 0, product[i, j], 12);
        // Rank one: u uᵀ with |u|² = 2 has pseudo-inverse u uᵀ / 4.
        double[,] singular = { { 1, 1 }, { 1, 1 } };
        var inverse = SmallMatrix.PseudoInverse(singular);
        Assert.All(new[] { inverse[0, 0], inverse[0, 1], inverse[1, 0], inverse[1, 1] }, v => Assert.Equal(0.25, v, 12));
    }

    // SLEAP's tests/nn/test_kalman.py.
    [Fact]
    public void Greedy_matches_in_ascending_cost_order()
    {
        var matches = KalmanMatching.Match(new CostMatrix([10, 200, 75, 150], 2, 2), (_, _) => true);
        Assert.Equal([(0, 0), (1, 1)], matches);
    }

    [Theory]
    // b would prefer A but gets B; nobody's first choice is B, so the closeness check does not apply.
    [InlineData(new double[] { 10, 200, 75, 150 }, new[] { 0, 0, 1, 1 })]
    [InlineData(new double[] { 10, 100, 50, 150 }, new[] { 0, 0, 1, 1 })]
    // Each instance gets its first choice.
    [InlineData(new double[] { 50, 100, 10, 150 }, new[] { 1, 0, 0, 1 })]
    public void Track_instance_matches_follow_SLEAPs_test_kalman(double[] cells, int[] expected)
    {
        var matches = KalmanMatching.Match(new CostMatrix(cells, 2, 2), (_, _) => true);
        Assert.Equal(expected.Chunk(2).Select(p => (p[0], p[1])), matches);
    }

    [Fact]
    public void A_track_taken_from_its_isolated_best_instance_by_a_close_instance_is_rejected()
    {
        // Row 2 prefers track 0 but row 0 wins it; greedy then gives row 2 track 1 (3 < 5), whose
        // isolated best instance is row 1. The match stands only if rows 2 and 1 are not too close.
        var cost = new CostMatrix([1, 50, 60, 5, 2, 3], 3, 2);
        var asked = new List<(int, int)>();
        Assert.Equal([(0, 0)], KalmanMatching.Match(cost, (a, b) => { asked.Add((a, b)); return true; }));
        Assert.Equal([(2, 1)], asked);
        Assert.Equal([(0, 0), (2, 1)], KalmanMatching.Match(cost, (_, _) => false));
    }

    [Fact]
    public void Unclear_columns_and_rows_are_cleared_and_a_NaN_row_switches_the_column_check_off()
    {
        // θ = 1: column 0 has 1 and 1.5 (< 1 + 1): cleared, and so are the rows whose best it was.
        var cleared = KalmanMatching.RemoveUnclearMatches(new CostMatrix([1, 5, 1.5, 9], 2, 2), 1);
        Assert.All(cleared.Cells, c => Assert.True(double.IsNaN(c)));
        // Clear preferences survive.
        var clear = KalmanMatching.RemoveUnclearMatches(new CostMatrix([1, 5, 6, 2], 2, 2), 1);
        Assert.Equal([1, 5, 6, 2], clear.Cells);
        // numpy's min of a column with a NaN (a low-scoring instance's row) is NaN: the column is not cleared.
        var withNaN = KalmanMatching.RemoveUnclearMatches(new CostMatrix([1, 5, 1.5, 9, double.NaN, double.NaN], 3, 2), 1);
        Assert.Equal([1, 5, 1.5, 9], withNaN.Cells.Take(4));
    }

    // SLEAP's test_kalman_tracker variants (tests/nn/test_tracking_integration.py), for simple and
    // simplemaxtracks × instance, object_keypoint, centroid, iou × hungarian, greedy.
    public static TheoryData<TrackerKind, SimilarityKind, MatchKind> KalmanCases()
    {
        var cases = new TheoryData<TrackerKind, SimilarityKind, MatchKind>();
        foreach (var tracker in new[] { TrackerKind.Simple, TrackerKind.SimpleMaxTracks })
            foreach (var similarity in new[] { SimilarityKind.Instance, SimilarityKind.ObjectKeypoint, SimilarityKind.Centroid, SimilarityKind.Iou })
                foreach (var match in new[] { MatchKind.Hungarian, MatchKind.Greedy })
                    cases.Add(tracker, similarity, match);
        return cases;
    }

    [Theory]
    [MemberData(nameof(KalmanCases))]
    public void Kalman_tracker_on_centered_pair_predictions_makes_2_tracks(TrackerKind tracker, SimilarityKind similarity, MatchKind match)
    {
        TrackerOptions Options(bool maxTracks) => new()
        {
            Tracker = tracker, Similarity = similarity, Match = match, TrackWindow = 5,
            KfInitFrameCount = 10, KfNodeIndices = [0, 1], TargetInstanceCount = 2,
            MaxTracking = maxTracks, MaxTracks = maxTracks ? 2 : null,
        };
        var variants = new (string Name, TrackerOptions Options)[]
        {
            ("target_instance_count 2", Options(false)),
            ("+ max_tracks 2", Options(true)),
            ("+ pre_cull_iou_threshold 0.8", With(Options(true), o => o.PreCullIouThreshold = 0.8)),
            ("+ pre_cull_to_target", With(Options(true), o => o.PreCullToTarget = true)),
            ("+ post_connect_single_breaks 0", With(Options(true), o => o.PostConnectSingleBreaks = false)),
        };
        foreach (var (name, options) in variants)
        {
            var watch = Stopwatch.StartNew();
            var labels = LabelsTracking.Track(Predictions.Value, options);
            output.WriteLine($"{tracker} {similarity} {match} {name}: {labels.Tracks.Count} tracks, {watch.ElapsedMilliseconds} ms");
            Assert.Equal(2, labels.Tracks.Count);
            Assert.Equal(["track_0", "track_1"], labels.Tracks.Select(t => t.Name));
            // Every frame was culled to 2 instances.
            Assert.All(labels.LabeledFrames, f => Assert.InRange(f.Instances.Count, 0, 2));
        }
    }

    [Fact]
    public void Filters_take_over_after_the_initial_frames_and_leave_unmatched_instances_untracked()
    {
        var options = new TrackerOptions
        {
            Tracker = TrackerKind.Simple, KfInitFrameCount = 10, KfNodeIndices = [0, 1], TargetInstanceCount = 2,
        };
        var labels = LabelsTracking.Track(Predictions.Value, options);
        var frames = labels.LabeledFrames;
        // The first 10 frames (all good) are tracked by the simple tracker, which sets tracking scores.
        Assert.All(frames.Take(10), f => Assert.All(f.Instances, i => Assert.NotNull(i.Track)));
        Assert.Contains(frames.Take(10).SelectMany(f => f.Instances), i => ((PredictedInstance)i).TrackingScore != 0);
        // The filters leave tracking scores alone and never give two instances of a frame one track.
        Assert.All(frames.Skip(10).SelectMany(f => f.Instances), i => Assert.Equal(0, ((PredictedInstance)i).TrackingScore));
        Assert.All(frames, f => Assert.Equal(f.Instances.Count(i => i.Track is not null), f.Instances.Select(i => i.Track).OfType<Track>().Distinct().Count()));
        int untracked = labels.AllInstances.Count(i => i.Track is null);
        int tracked = labels.AllInstances.Count(i => i.Track is not null);
        output.WriteLine($"{tracked} instances tracked, {untracked} left untracked by the filters");
        Assert.True(tracked > 1900, $"only {tracked} instances tracked");
    }

    [Fact]
    public void Node_index_past_the_skeleton_fails_naming_the_node()
    {
        var options = new TrackerOptions { Tracker = TrackerKind.Simple, KfInitFrameCount = 10, KfNodeIndices = [0, 99], TargetInstanceCount = 2 };
        var error = Assert.Throws<SleapPS.Engine.SleapException>(() => LabelsTracking.Track(Predictions.Value, options));
        Assert.StartsWith("kf_node_indices has node 99, but the skeleton has 24 nodes (0 to 23).", error.Message);
    }

    [Fact]
    public void Start_SleapTracker_runs_the_Kalman_filter_tracker()
    {
        using var host = new PowerShellHost();
        var result = host.Run($"Start-SleapTracker -Path '{PredictionsPath}' -Tracker simple -KalmanInitFrameCount 10 -KalmanNodeIndices 0,1 -TargetInstanceCount 2");
        Assert.Empty(result.Errors);
        var labels = result.Single<Labels>();
        Assert.Equal(["track_0", "track_1"], labels.Tracks.Select(t => t.Name));
        Assert.Equal(1100, labels.LabeledFrames.Count);
    }

    // Two synthetic animals 100 px apart moving right 1 px per frame (nodes at (x, y) and (x + 5, y + 5)),
    // and a lone instance exactly between the filters' predictions, which neither filter can claim.
    private static readonly Skeleton TwoNodes = Skeleton.FromNames("synthetic", ["head", "tail"], [("head", "tail")]);
    private static readonly Video SyntheticVideo = new("synthetic.mp4", VideoBackend.Media);

    private static PredictedInstance Animal(double x, double y) =>
        new(TwoNodes, [new Point(x, y, Score: 1), new Point(x + 5, y + 5, Score: 1)], score: 1);

    private static List<LabeledFrame> TrackSynthetic(FrameTracker tracker, int count, Func<int, PredictedInstance[]> instancesAt)
    {
        var frames = Enumerable.Range(0, count).Select(t => new LabeledFrame(SyntheticVideo, t, instancesAt(t))).ToList();
        foreach (var frame in frames) tracker.TrackFrame(frame);
        return frames;
    }

    private static TrackerOptions SyntheticKalman => new()
    {
        Tracker = TrackerKind.Simple, KfInitFrameCount = 10, KfNodeIndices = [0, 1], TargetInstanceCount = 2,
    };

    [Fact]
    public void Tracks_lost_together_for_more_than_5_frames_are_replaced_by_namesakes()
    {
        using var tracker = new FrameTracker(SyntheticKalman);
        var frames = TrackSynthetic(tracker, 40, t => t is >= 20 and < 28
            ? [Animal(30, 60)]
            : [Animal(10 + t, 10), Animal(10 + t, 110)]);

        // Frames 20-27: the lone instance is as far from both predictions, so it stays untracked;
        // at frame 25 both tracks have missed more than 5 frames and are replaced.
        Assert.All(frames.Skip(20).Take(8), f => Assert.Null(Assert.Single(f.Instances).Track));
        var before = frames[19].Instances.Select(i => i.Track!).ToList();
        var after = frames[28].Instances.Select(i => i.Track!).ToList();
        Assert.Equal(["track_0", "track_1"], before.Select(t => t.Name));
        Assert.Equal(["track_0", "track_1"], after.Select(t => t.Name));
        Assert.Empty(after.Intersect(before));
        // A replacement's spawn frame is set by its first match.
        Assert.All(after, t => Assert.Equal(28, t.SpawnedOn));
        Assert.Equal(4, tracker.Tracks.Count);
        Assert.All(frames.Skip(28), f => Assert.Equal(after, f.Instances.Select(i => i.Track!)));
    }

    [Fact]
    public void Filters_without_a_match_for_20_frames_after_the_100_frame_cooldown_give_way_to_the_regular_tracker()
    {
        using var tracker = new FrameTracker(SyntheticKalman);
        var frames = TrackSynthetic(tracker, 115, t => t < 10 ? [Animal(10 + t, 10), Animal(10 + t, 110)] : [Animal(20, 60)]);

        // Fitted on frame 9; frames 10-110 match nothing; after frame 110 (110 - 9 > 100) the simple
        // tracker starts again from no candidates and gives the lone instance a new track. Its spawn
        // frame is the regular tracker's own count, restarted at 0 (SLEAP never passes it the frame index).
        Assert.All(frames.Skip(10).Take(101), f => Assert.Null(Assert.Single(f.Instances).Track));
        var track = frames[111].Instances.Single().Track!;
        Assert.Equal("track_2", track.Name);
        Assert.Equal(0, track.SpawnedOn);
        Assert.All(frames.Skip(112), f => Assert.Same(track, f.Instances.Single().Track));
    }

    [Fact]
    public void After_re_initialisation_max_tracking_can_neither_match_nor_start_tracks()
    {
        var options = SyntheticKalman;
        options.MaxTracks = 2;
        options.MaxTracking = true;
        using var tracker = new FrameTracker(options);
        var frames = TrackSynthetic(tracker, 115, t => t < 10 ? [Animal(10 + t, 10), Animal(10 + t, 110)] : [Animal(20, 60)]);
        Assert.All(frames.Skip(10).Take(101), f => Assert.Null(Assert.Single(f.Instances).Track));
        Assert.All(frames.Skip(111), f => Assert.Empty(f.Instances));
        Assert.Equal(["track_0", "track_1"], tracker.Tracks.Select(t => t.Name));
    }

    private static TrackerOptions With(TrackerOptions options, Action<TrackerOptions> change)
    {
        change(options);
        return options;
    }

    private static double[] Diagonal(double[,] matrix) => Enumerable.Range(0, matrix.GetLength(0)).Select(i => matrix[i, i]).ToArray();

    private static void AssertClose(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Abs(expected[i]) + 1e-12,
                $"entry {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
