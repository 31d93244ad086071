using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.Tracking;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Tracking;

/// <summary>SLEAP's own tracking tests (docs/design/references.md §4) on SLEAP's fixtures.</summary>
public sealed class SleapAnchorTests
{
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");

    private static Labels Retrack(TrackerOptions options) => LabelsTracking.Track(LabelsReader.Read(Predictions), options);

    private static int TracksInUse(Labels labels) => labels.AllInstances.Select(i => i.Track).OfType<Track>().Distinct().Count();

    [Fact]
    public void Simple_tracker_on_centered_pair_predictions_makes_27_tracks()
    {
        var labels = Retrack(new TrackerOptions { Tracker = TrackerKind.Simple });
        Assert.Equal(27, labels.Tracks.Count);
        Assert.Equal(27, TracksInUse(labels));
        Assert.Equal(2274, labels.InstanceCount);
        Assert.Equal("track_0", labels.Tracks[0].Name);
    }

    [Fact]
    public void Simplemaxtracks_with_max_2_makes_2_tracks()
    {
        var labels = Retrack(new TrackerOptions { Tracker = TrackerKind.SimpleMaxTracks, MaxTracking = true, MaxTracks = 2 });
        Assert.Equal(["track_0", "track_1"], labels.Tracks.Select(t => t.Name));
    }

    [Fact]
    public void Simple_with_max_tracking_becomes_simplemaxtracks()
    {
        using var tracker = new FrameTracker(new TrackerOptions { Tracker = TrackerKind.Simple, MaxTracking = true, MaxTracks = 2 });
        Assert.Equal(TrackerKind.SimpleMaxTracks, tracker.Tracker);
        Assert.Equal("SimpleMaxTracksCandidateMaker.instance_similarity.greedy_matching", tracker.Name);
        // max_tracking without max_tracks is ignored, as in SLEAP.
        using var plain = new FrameTracker(new TrackerOptions { Tracker = TrackerKind.Flow, MaxTracking = true });
        Assert.Equal(TrackerKind.Flow, plain.Tracker);
    }

    [Fact]
    public void Retracking_leaves_the_source_labels_as_they_were()
    {
        var source = LabelsReader.Read(Predictions);
        var before = source.AllInstances.Select(i => i.Track!.Name).ToList();
        var tracked = LabelsTracking.Track(source, new TrackerOptions { Tracker = TrackerKind.SimpleMaxTracks, MaxTracking = true, MaxTracks = 2 });
        Assert.Equal(before, source.AllInstances.Select(i => i.Track!.Name));
        Assert.Equal(27, source.Tracks.Count);
        Assert.Empty(tracked.Tracks.Intersect(source.Tracks));
        Assert.Empty(tracked.AllInstances.Intersect(source.AllInstances));
    }

    // SLEAP's synthetic gap tests: 3-node instances around (x, 0) and (x, 1); hungarian matching, window 2.
    public static TheoryData<string, (double X, double Y)[][], int, int> GapCases => new()
    {
        {
            "large gap on a single track",
            [[(0, 0), (0, 1)], [(0.1, 0), (0.1, 1)], [(0.2, 0), (0.2, 1)], [(0.3, 0)], [(0.4, 0)], [(0.5, 0), (0.5, 1)], [(0.6, 0), (0.6, 1)]],
            3, 2
        },
        {
            "small gap on both tracks",
            [[(0, 0), (0, 1)], [(0.1, 0), (0.1, 1)], [(0.2, 0), (0.2, 1)], [], [], [(0.5, 0), (0.5, 1)], [(0.6, 0), (0.6, 1)]],
            4, 2
        },
        {
            "extra detections",
            [[(0, 0), (0, 1)], [(0.1, 0), (0.1, 1)], [(0.2, 0), (0.2, 1)], [(0.3, 0)], [(0.4, 0)], [(0.5, 0), (0.5, 1)], [(0.6, 0), (0.6, 1), (0.6, 0.5)]],
            4, 2
        },
    };

    [Theory]
    [MemberData(nameof(GapCases))]
    public void Gap_cases_give_SLEAPs_track_counts(string name, (double X, double Y)[][] positions, int simpleTracks, int maxTracks)
    {
        Assert.NotEmpty(name);
        Assert.Equal(simpleTracks, TrackSynthetic(positions, new TrackerOptions { Tracker = TrackerKind.Simple, Match = MatchKind.Hungarian, TrackWindow = 2 }));
        Assert.Equal(maxTracks, TrackSynthetic(positions, new TrackerOptions
        {
            Tracker = TrackerKind.SimpleMaxTracks, Match = MatchKind.Hungarian, TrackWindow = 2, MaxTracks = 2, MaxTracking = true,
        }));
    }

    private static int TrackSynthetic((double X, double Y)[][] positions, TrackerOptions options)
    {
        var skeleton = Skeleton.FromNames("synthetic", ["A", "B", "C"], [("A", "B"), ("B", "C")]);
        var video = new Video("synthetic.mp4", VideoBackend.Media);
        using var tracker = new FrameTracker(options);
        var frames = positions.Select((frame, t) => new LabeledFrame(video, t, frame.Select(p => Synthetic(skeleton, p.X, p.Y)))).ToList();
        foreach (var frame in frames) tracker.TrackFrame(frame);
        return frames.SelectMany(f => f.Instances).Select(i => i.Track).Distinct().Count();
    }

    private static PredictedInstance Synthetic(Skeleton skeleton, double x, double y) =>
        new(skeleton, [new Point(x - 0.1, y - 0.1, Score: 1), new Point(x, y, Score: 1), new Point(x + 0.1, y + 0.1, Score: 1)], score: 1);

    [Fact]
    public void Culling_frames_352_to_359_to_2_and_the_first_5_to_1()
    {
        var frames = LabelsReader.Read(Predictions).LabeledFrames;
        var middle = frames.GetRange(352, 8);
        Assert.Contains(middle, f => f.Instances.Count > 2);
        Culling.CullInstances(middle, 2, null);
        Assert.All(middle, f => Assert.Equal(2, f.Instances.Count));

        var first = frames.GetRange(0, 5);
        var best = first.Select(f => f.PredictedInstances.MaxBy(i => i.Score)).ToList();
        Culling.CullInstances(first, 1, null);
        Assert.Equal(best, first.Select(f => Assert.Single(f.Instances)));
    }

    private static readonly (double, double, double, double)[] NmsBoxes = [(10, 10, 20, 20), (10, 10, 15, 15), (30, 30, 40, 40), (32, 32, 42, 42)];

    [Fact]
    public void Nms_picks_what_SLEAP_picks()
    {
        Assert.Equal([0, 2], Culling.NonMaximumSuppression(NmsBoxes, [1, 0.3, 1, 0.5], 0.5).Order());
        Assert.Equal([0, 2, 3], Culling.NonMaximumSuppression(NmsBoxes, [1, 0.3, 1, 0.5], 0.5, targetCount: 3).Order());
        Assert.Equal([0, 1, 2], Culling.NonMaximumSuppression(NmsBoxes, [1, 0.5, 1, 0.3], 0.5, targetCount: 3).Order());
    }

    [Fact]
    public void Greedy_frame_matches_as_in_SLEAPs_frame_match_object_test()
    {
        var cost = new CostMatrix([10, 200, 75, 150], 2, 2);
        var matches = Matching.Greedy(cost);
        Assert.Equal([(0, 0), (1, 1)], matches);
        Assert.Equal([-10.0, -150.0], matches.Select(m => -cost[m.Row, m.Column]));
        Assert.False(matches.All(m => cost.ArgminOfRow(m.Row) == m.Column));

        var second = new CostMatrix([10, 200, 150, 75], 2, 2);
        Assert.True(Matching.Greedy(second).All(m => second.ArgminOfRow(m.Row) == m.Column));
    }

    [Theory]
    [InlineData(TrackerKind.Flow, SimilarityKind.Instance, new[] { 0, 1 }, 2, 0, "Kalman filter requires simple tracker for initial tracking.")]
    [InlineData(TrackerKind.FlowMaxTracks, SimilarityKind.Iou, new[] { 0, 1 }, 2, 0, "Kalman filter requires simple tracker for initial tracking.")]
    [InlineData(TrackerKind.Simple, SimilarityKind.NormalizedInstance, new[] { 0, 1 }, 2, 0, "Kalman filter does not support normalized_instance_similarity.")]
    [InlineData(TrackerKind.SimpleMaxTracks, SimilarityKind.Instance, new int[0], 2, 0, "Kalman filter requires node indices for instance tracking.")]
    [InlineData(TrackerKind.Simple, SimilarityKind.Centroid, new[] { 0, 1 }, 0, 0, "Kalman filter requires max tracks or target instance count.")]
    [InlineData(TrackerKind.Flow, SimilarityKind.Instance, new[] { 0, 1 }, 0, 2, "Kalman filter requires simple tracker for initial tracking.")]
    public void Invalid_Kalman_combinations_fail_with_SLEAPs_message(TrackerKind kind, SimilarityKind similarity, int[] nodes, int maxTracks, int target, string message)
    {
        var options = new TrackerOptions
        {
            Tracker = kind, Similarity = similarity, KfInitFrameCount = 10, KfNodeIndices = nodes,
            MaxTracks = maxTracks == 0 ? null : maxTracks, MaxTracking = maxTracks > 0, TargetInstanceCount = target,
        };
        var error = Assert.Throws<SleapException>(() => new FrameTracker(options));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith(message + " ", error.Message);
    }
}
