using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO;

public class AnalysisH5Tests
{
    private static readonly string SleapExport = Paths.Fixture("hdf5_format_v1", "small_robot.000_small_robot_3_frame.analysis.h5");
    private static readonly string[] CompressedArrays = ["tracks", "track_occupancy", "point_scores", "instance_scores", "tracking_scores"];

    /// <summary>The content of SLEAP's fixture export: one untracked instance on 3 frames, frame 1 predicted.</summary>
    private static Labels RobotLabels()
    {
        var skeleton = Skeleton.FromNames("Skeleton-0", ["top", "front", "rear"], [("top", "front"), ("top", "rear"), ("front", "rear")]);
        var video = new Video("D:/TalmoLab/sleap/tests/data/videos/small_robot_3_frame.mp4", VideoBackend.Media);
        var user = new Instance(skeleton, [new Point(322.87600977, 60.30785504), new Point(382.74652904, 243.01542777), new Point(143.40971925, 181.86605801)]);
        var predicted = new PredictedInstance(skeleton,
            [new Point(320.97375488, 59.24647141, Score: 0.74868906), new Point(384.70135498, 244.34580994, Score: 1.01263773), new Point(145.28433228, 180.34460449, Score: 1.03897202)],
            score: 2.80029869);
        var labels = new Labels { SourcePath = "D:/TalmoLab/small_robot.slp" };
        labels.Skeletons.Add(skeleton);
        labels.LabeledFrames.Add(new LabeledFrame(video, 0, [user]));
        labels.LabeledFrames.Add(new LabeledFrame(video, 1, [predicted]));
        labels.LabeledFrames.Add(new LabeledFrame(video, 2, [new Instance(skeleton, user.Points.ToArray())]));
        return labels;
    }

    [Fact]
    public void ExportHasSleapsDatasetsShapesAndTypes()
    {
        using var dir = new TempDir();
        string path = dir.File("robot.analysis.h5");
        AnalysisH5Writer.Write(RobotLabels(), path);

        var ours = H5py.Schema(path);
        var sleap = H5py.Schema(SleapExport);
        Assert.Equal(sleap.Select(p => p.Key).Order(), ours.Select(p => p.Key).Order());
        // Same content, so everything matches, string lengths included.
        foreach (var (name, expected) in sleap)
            Assert.True(H5py.Text(expected) == H5py.Text(ours[name]), $"{name}: SLEAP {H5py.Text(expected)}, ours {H5py.Text(ours[name])}");
    }

    [Fact]
    public void ExportHasSleapsValues()
    {
        using var dir = new TempDir();
        string path = dir.File("robot.analysis.h5");
        AnalysisH5Writer.Write(RobotLabels(), path);

        const string snippet = """
            def clean(a): return [None if np.isnan(v) else round(float(v), 8) for v in np.ravel(a)]
            print(json.dumps({k: clean(f[k][()]) for k in ['tracks', 'point_scores', 'instance_scores', 'tracking_scores']}
                | {k: f[k][()].tolist() for k in ['track_occupancy', 'edge_inds']}
                | {k: [s.decode() for s in np.ravel(f[k][()])] for k in ['node_names', 'edge_names']}
                | {k: f[k][()].decode() for k in ['labels_path', 'video_path', 'provenance']}
                | {'video_ind': int(f['video_ind'][()])}))
            """;
        Assert.Equal(H5py.Text(H5py.Evaluate(SleapExport, snippet)), H5py.Text(H5py.Evaluate(path, snippet)));
    }

    [Fact]
    public void ReadsSleapsExport()
    {
        var labels = AnalysisH5Reader.Read(SleapExport);

        Assert.Equal(["top", "front", "rear"], labels.Skeleton!.NodeNames);
        Assert.Equal([(0, 1), (0, 2), (1, 2)], labels.Skeleton.EdgeIndices);
        Assert.Equal("D:/TalmoLab/sleap/tests/data/videos/small_robot_3_frame.mp4", Assert.Single(labels.Videos).Filename);
        Assert.Equal(VideoBackend.Media, labels.Videos[0].Backend);
        Assert.Equal(["track_0"], labels.Tracks.Select(t => t.Name));
        Assert.Equal([0L, 1L, 2L], labels.LabeledFrames.Select(f => f.FrameIndex));

        var user = Assert.Single(labels.LabeledFrames[0].Instances);
        Assert.False(user.IsPredicted);
        Assert.Same(labels.Tracks[0], user.Track);
        Assert.Equal(322.87600977, user.Points[0].X, 1e-8);
        Assert.Equal(60.30785504, user.Points[0].Y, 1e-8);
        Assert.Equal(181.86605801, user.Points[2].Y, 1e-8);

        var predicted = Assert.IsType<PredictedInstance>(Assert.Single(labels.LabeledFrames[1].Instances));
        Assert.Equal(2.80029869, predicted.Score, 1e-8);
        Assert.Equal(0.0, predicted.TrackingScore);
        Assert.Equal(320.97375488, predicted.Points[0].X, 1e-8);
        Assert.Equal([0.74868906, 1.01263773, 1.03897202], predicted.Points.Select(p => Math.Round(p.Score, 8)));
    }

    [Fact]
    public void ReadsOwnExportBack()
    {
        using var dir = new TempDir();
        string path = dir.File("robot.analysis.h5");
        var original = RobotLabels();
        AnalysisH5Writer.Write(original, path);

        var read = AnalysisH5Reader.Read(path);
        Assert.Equal(original.LabeledFrames.Count, read.LabeledFrames.Count);
        for (int f = 0; f < read.LabeledFrames.Count; f++)
        {
            var expected = Assert.Single(original.LabeledFrames[f].Instances);
            var actual = Assert.Single(read.LabeledFrames[f].Instances);
            Assert.Equal(expected.IsPredicted, actual.IsPredicted);
            Assert.Equal(expected.Points, actual.Points);
            if (expected is PredictedInstance p)
                Assert.Equal(p.Score, ((PredictedInstance)actual).Score);
        }
    }

    [Fact]
    public void RefusesAFileWithoutTracks()
    {
        string path = Paths.Fixture("slp_hdf5", "minimal_instance.slp");
        var error = Assert.Throws<SleapException>(() => AnalysisH5Reader.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot read '{path}' as a SLEAP analysis file: it has no 'tracks' dataset. Analysis files hold 'tracks' and 'track_occupancy'; open .slp files with the labels reader.", error.Message);
    }
}

public class CenteredPairExportTests
{
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");

    /// <summary>Every instance of the .slp as (frame, track name) -> instance.</summary>
    private static Dictionary<(long Frame, string Track), PredictedInstance> InstancesBySlot(Labels labels) =>
        labels.LabeledFrames.SelectMany(f => f.Instances.Select(i => (Key: (f.FrameIndex, i.Track!.Name), Instance: (PredictedInstance)i)))
            .ToDictionary(p => p.Key, p => p.Instance);

    [Fact]
    public void ExportHoldsEveryPointOfTheSlpAsH5PySeesIt()
    {
        var labels = SlpReader.Read(Predictions);
        using var dir = new TempDir();
        string path = dir.File("centered_pair.analysis.h5");
        var warnings = new List<string>();
        AnalysisH5Writer.Write(labels, path, warn: warnings.Add);
        Assert.Empty(warnings);

        var file = H5py.Evaluate(path, """
            tracks = f['tracks'][()].T          # (F, N, 2, T)
            scores = f['point_scores'][()].T    # (F, N, T)
            names = [n.decode() for n in f['track_names'][()]]
            def clean(a): return [None if np.isnan(v) else float(v) for v in a]
            slots = []
            for frame, track in zip(*np.nonzero(f['track_occupancy'][()])):
                slots.append([int(frame), names[track], clean(tracks[frame, :, 0, track]), clean(tracks[frame, :, 1, track]),
                              clean(scores[frame, :, track]), float(f['instance_scores'][()].T[frame, track]), float(f['tracking_scores'][()].T[frame, track])])
            print(json.dumps({'shape': list(tracks.shape), 'nodes': [n.decode() for n in f['node_names'][()]], 'names': names, 'slots': slots}))
            """);

        Assert.Equal("[1100,24,2,27]", H5py.Text(file["shape"]));
        Assert.Equal(labels.Skeleton!.NodeNames, file["nodes"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(labels.Tracks.Select(t => t.Name), file["names"]!.AsArray().Select(n => (string)n!));

        var expected = InstancesBySlot(labels);
        var slots = file["slots"]!.AsArray();
        Assert.Equal(expected.Count, slots.Count);
        foreach (var slot in slots)
        {
            var instance = expected[((long)slot![0]!, (string)slot[1]!)];
            double?[] xs = slot[2]!.AsArray().Select(v => (double?)v).ToArray();
            double?[] ys = slot[3]!.AsArray().Select(v => (double?)v).ToArray();
            double?[] scores = slot[4]!.AsArray().Select(v => (double?)v).ToArray();
            for (int n = 0; n < instance.Points.Length; n++)
            {
                var point = instance.Points[n];
                Assert.Equal(point.IsPresent ? point.X : null, xs[n]);
                Assert.Equal(point.IsPresent ? point.Y : null, ys[n]);
                Assert.Equal(point.Score, scores[n]);
            }
            Assert.Equal(instance.Score, (double)slot[5]!);
            Assert.Equal(instance.TrackingScore, (double)slot[6]!);
        }
    }

    [Fact]
    public void ExportReadsBackThroughOurReader()
    {
        var labels = SlpReader.Read(Predictions);
        using var dir = new TempDir();
        string path = dir.File("centered_pair.analysis.h5");
        AnalysisH5Writer.Write(labels, path);

        var read = AnalysisH5Reader.Read(path);
        Assert.Equal(27, read.Tracks.Count);
        Assert.Equal(24, read.Skeleton!.Nodes.Count);
        Assert.Equal(labels.Skeleton!.EdgeIndices, read.Skeleton.EdgeIndices);
        Assert.Equal(labels.Videos[0].Filename, read.Videos[0].Filename);
        Assert.Equal(labels.LabeledFrames.Select(f => f.FrameIndex).Order(), read.LabeledFrames.Select(f => f.FrameIndex));
        Assert.Equal(1099, read.LabeledFrames[^1].FrameIndex);

        var expected = InstancesBySlot(labels);
        var actual = InstancesBySlot(read);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (slot, instance) in expected)
        {
            var other = actual[slot];
            Assert.Equal((instance.Score, instance.TrackingScore), (other.Score, other.TrackingScore));
            for (int n = 0; n < instance.Points.Length; n++)
            {
                var (e, a) = (instance.Points[n], other.Points[n]);
                Assert.True(e.IsPresent ? (e.X, e.Y) == (a.X, a.Y) : !a.IsPresent, $"{slot}, node {n}: {e} became {a}");
                Assert.Equal(e.Score, a.Score);
            }
        }
    }
}
