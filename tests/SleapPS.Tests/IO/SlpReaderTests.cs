using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO;

/// <summary>Every expected number here was read from the fixture with h5py (Debian python3-h5py).</summary>
public class SlpReaderTests
{
    // path -> frames, instances, user instances, predicted instances, tracks, skeleton nodes, body edges
    public static readonly TheoryData<string, int, int, int, int, int, int, int> AllFixtures = new()
    {
        { "hdf5_format_v1/centered_pair_predictions.slp", 1100, 2274, 0, 2274, 27, 24, 23 },
        { "models/minimal_instance.UNet.bottomup/labels_gt.train.slp", 1, 2, 2, 0, 0, 2, 1 },
        { "models/minimal_instance.UNet.bottomup/labels_gt.val.slp", 1, 2, 2, 0, 0, 2, 1 },
        { "models/minimal_instance.UNet.bottomup/labels_pr.train.slp", 1, 2, 0, 2, 0, 2, 1 },
        { "models/minimal_instance.UNet.bottomup/labels_pr.val.slp", 1, 2, 0, 2, 0, 2, 1 },
        { "models/minimal_instance.UNet.centered_instance/labels_gt.train.slp", 1, 2, 2, 0, 0, 2, 1 },
        { "models/minimal_instance.UNet.centered_instance/labels_gt.val.slp", 1, 2, 2, 0, 0, 2, 1 },
        { "models/minimal_instance.UNet.centered_instance/labels_pr.train.slp", 1, 2, 0, 2, 0, 2, 1 },
        { "models/minimal_instance.UNet.centered_instance/labels_pr.val.slp", 1, 2, 0, 2, 0, 2, 1 },
        { "models/minimal_instance.UNet.centroid/labels_gt.train.slp", 1, 2, 2, 0, 0, 2, 1 },
        { "models/minimal_instance.UNet.centroid/labels_gt.val.slp", 1, 2, 2, 0, 0, 2, 1 },
        { "models/minimal_instance.UNet.centroid/labels_pr.train.slp", 1, 2, 0, 2, 0, 2, 1 },
        { "models/minimal_instance.UNet.centroid/labels_pr.val.slp", 1, 2, 0, 2, 0, 2, 1 },
        { "models/minimal_robot.UNet.single_instance/labels_gt.train.slp", 1, 1, 1, 0, 0, 2, 1 },
        { "models/minimal_robot.UNet.single_instance/labels_gt.val.slp", 1, 1, 1, 0, 0, 2, 1 },
        { "siv_format_v1/small_robot_siv.slp", 3, 3, 3, 0, 0, 1, 0 },
        { "slp_hdf5/dance.mp4.labels.slp", 450, 453, 3, 450, 0, 17, 15 },
        { "slp_hdf5/minimal_instance.slp", 1, 2, 2, 0, 0, 2, 1 },
        { "slp_hdf5/small_robot_minimal.slp", 2, 2, 2, 0, 0, 2, 1 },
        { "tracks/clip.2node.slp", 1500, 3000, 3000, 0, 2, 2, 1 },
        { "tracks/clip.slp", 1500, 3000, 3000, 0, 2, 13, 12 },
    };

    private static Labels Read(string relative) => SlpReader.Read(Path.Combine(Paths.Fixtures, relative));

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void ReadsEveryFixtureWithH5pyCounts(string relative, int frames, int instances, int user, int predicted, int tracks, int nodes, int edges)
    {
        Labels labels = Read(relative);

        Assert.Equal(frames, labels.LabeledFrames.Count);
        Assert.Equal(instances, labels.InstanceCount);
        Assert.Equal(user, labels.AllInstances.Count(i => !i.IsPredicted));
        Assert.Equal(predicted, labels.AllInstances.Count(i => i.IsPredicted));
        Assert.Equal(tracks, labels.Tracks.Count);
        Assert.Equal(nodes, Assert.Single(labels.Skeletons).Nodes.Count);
        Assert.Equal(edges, labels.Skeletons[0].Edges.Count);
        Assert.Single(labels.Videos);
        Assert.Equal(Path.Combine(Paths.Fixtures, relative), labels.SourcePath);
        Assert.All(labels.AllInstances, i => Assert.Equal(nodes, i.Points.Length));
    }

    [Fact]
    public void TheTableCoversEveryFixtureSlpFile()
    {
        var onDisk = Directory.EnumerateFiles(Paths.Fixtures, "*.slp", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Paths.Fixtures, p).Replace('\\', '/')).Order().ToArray();
        var inTable = AllFixtures.Select(row => (string)row[0]).Order().ToArray();
        Assert.Equal(onDisk, inTable);
    }

    [Fact]
    public void MinimalInstanceFormat11KeepsUserPointsAsStored()
    {
        Labels labels = Read("slp_hdf5/minimal_instance.slp");

        LabeledFrame frame = Assert.Single(labels.LabeledFrames);
        Assert.Equal(0, frame.FrameIndex);
        Assert.Equal(2, frame.Instances.Count);
        Instance first = frame.Instances[0];
        Assert.False(first.IsPredicted);
        Assert.Null(first.Track);
        Assert.Null(first.FromPredicted);
        Assert.Equal(new Point(92.65220773208894, 202.7259777426982, true, true), first.Points[0]);
        Assert.Equal(new Point(152.34188115939048, 158.42364351243816, true, true), first.Points[1]);
        Assert.True(double.IsNaN(first.Points[0].Score));
        Assert.Equal(["A", "B"], labels.Skeletons[0].NodeNames);
        Assert.Equal("A -> B", labels.Skeletons[0].Edges[0].ToString());
        // This file's metadata has no provenance key at all.
        Assert.Empty(labels.Provenance);

        Video video = labels.Videos[0];
        Assert.Equal("tests/data/json_format_v1/centered_pair_low_quality.mp4", video.Filename);
        Assert.Equal(VideoBackend.Media, video.Backend);
        Assert.True(video.Grayscale);
        Assert.Equal(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), video.ResolvedPath);
        Assert.Same(video, frame.Video);
    }

    [Fact]
    public void SmallRobotSkeletonOrderDiffersFromGlobalNodeOrder()
    {
        // Global nodes are [B, A]; the skeleton (and so the point order) is [A, B].
        Labels labels = Read("slp_hdf5/small_robot_minimal.slp");

        Assert.Equal(["A", "B"], labels.Skeletons[0].NodeNames);
        Assert.Equal("A -> B", Assert.Single(labels.Skeletons[0].Edges).ToString());
        Assert.Equal([0L, 79L], labels.LabeledFrames.Select(f => f.FrameIndex));
        Instance robot = labels.LabeledFrames[0].Instances[0];
        Assert.Equal(316.4897466827503, robot["A"].X);
        Assert.Equal(47.69157074881539, robot["A"].Y);
        Assert.Equal(314.1013268998794, robot["B"].X);
        Assert.Equal(135.3723616999181, robot["B"].Y);
        Assert.Equal(Paths.Fixture("videos", "small_robot.mp4"), labels.Videos[0].ResolvedPath);
        Assert.False(labels.Videos[0].Grayscale);
    }

    [Fact]
    public void CenteredPairPredictionsHasScoresTracksAndMissingNodes()
    {
        Labels labels = Read("hdf5_format_v1/centered_pair_predictions.slp");

        Skeleton skeleton = labels.Skeletons[0];
        Assert.Equal("Skeleton-count(0)", skeleton.Name);
        Assert.Equal(["head", "neck", "thorax", "abdomen"], skeleton.NodeNames.Take(4));
        Assert.Equal("thorax -> neck", skeleton.Edges[0].ToString());
        Assert.Equal("neck -> head", skeleton.Edges[1].ToString());

        Assert.Equal(27, labels.Tracks.Count);
        Assert.Equal(("1", 0), (labels.Tracks[0].Name, labels.Tracks[0].SpawnedOn));
        Assert.Equal(("3", 25), (labels.Tracks[2].Name, labels.Tracks[2].SpawnedOn));
        Assert.Equal(("27", 1099), (labels.Tracks[26].Name, labels.Tracks[26].SpawnedOn));

        var first = Assert.IsType<PredictedInstance>(labels.LabeledFrames[0].Instances[0]);
        Assert.Equal(39.072227478027344, first.Score);
        Assert.Equal(0.0, first.TrackingScore);
        Assert.Same(labels.Tracks[0], first.Track);
        Assert.Equal(new Point(201.0, 186.0, true, false, 0.8258838057518005), first.Points[0]);
        Assert.Equal(new Point(268.0, 175.0, true, false, 0.7537527680397034), first.Points[23]);

        var row100 = (PredictedInstance)labels.AllInstances.ElementAt(100);
        Assert.Equal(39.4423942565918, row100.Score);
        Assert.Equal(48, labels.LabeledFrames.First(f => f.Instances.Contains(row100)).FrameIndex);

        Assert.Equal(5956, labels.AllInstances.Sum(i => i.Points.Count(p => double.IsNaN(p.X))));
        Assert.Equal(54576, labels.AllInstances.Sum(i => i.Points.Length));
        Assert.Equal(1100, labels.AllInstances.Count(i => i.Track == labels.Tracks[0]));
        Assert.Equal(4, labels.AllInstances.Count(i => i.Track == labels.Tracks[2]));
        Assert.Equal(Enumerable.Range(0, 1100).Select(i => (long)i), labels.LabeledFrames.Select(f => f.FrameIndex));
        Assert.Equal(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), labels.Videos[0].ResolvedPath);
    }

    [Fact]
    public void DanceLinksUserInstancesToTheirPredictions()
    {
        Labels labels = Read("slp_hdf5/dance.mp4.labels.slp");

        LabeledFrame frame0 = labels.LabeledFrames[0];
        Assert.Equal(2, frame0.Instances.Count);
        var prediction = Assert.IsType<PredictedInstance>(frame0.Instances[0]);
        Instance user = frame0.Instances[1];
        Assert.False(user.IsPredicted);
        Assert.Same(prediction, user.FromPredicted);
        Assert.Equal(11.767921447753906, prediction.Score);
        Assert.Equal("nose", labels.Skeletons[0].Nodes[0].Name);
        // The last node of the user instance is labelled but marked invisible: coordinates kept.
        Assert.Equal(new Point(190.2088535433142, 644.1727647009053, false, false), user.Points[16]);
        Assert.False(user.Points[16].IsPresent);
        // The prediction did not find that node: NaN with score 0.
        Assert.Equal(Point.MissingPredicted, prediction.Points[16] with { X = double.NaN, Y = double.NaN });
        Assert.True(double.IsNaN(prediction.Points[16].X));
        Assert.Equal(0.0, prediction.Points[16].Score);
        Assert.Equal(3, labels.AllInstances.Count(i => i.FromPredicted is not null));
        // dance.mp4 is not among the fixtures; a missing video is not an error.
        Assert.Null(labels.Videos[0].ResolvedPath);
        Assert.Equal("/home/talmolab/projects/sleap_hackathon/sleap/tests/data/videos/dance.mp4", labels.Videos[0].Filename);
    }

    [Fact]
    public void ClipFilesHaveTracksAndWindowsVideoPath()
    {
        Labels clip = Read("tracks/clip.slp");
        Assert.Equal(["female", "male"], clip.Tracks.Select(t => t.Name));
        Assert.Equal(["head", "thorax", "abdomen", "wingL"], clip.Skeletons[0].NodeNames.Take(4));
        Instance first = clip.LabeledFrames[0].Instances[0];
        Assert.Same(clip.Tracks[1], first.Track);
        Assert.Equal(new Point(335.25, 444.75, true, false), first.Points[0]);
        Assert.Equal(new Point(330.75, 458.25, true, false), first.Points[12]);
        // Point row 20 (instance 1, node 7) is missing.
        Assert.True(double.IsNaN(clip.AllInstances.ElementAt(1).Points[7].X));
        Assert.Equal(637, clip.AllInstances.Sum(i => i.Points.Count(p => double.IsNaN(p.X))));
        Assert.Equal(Paths.Fixture("tracks", "clip.mp4"), clip.Videos[0].ResolvedPath);

        Labels twoNode = Read("tracks/clip.2node.slp");
        Assert.Equal(["head", "thorax"], twoNode.Skeletons[0].NodeNames);
        Assert.Equal("thorax -> head", Assert.Single(twoNode.Skeletons[0].Edges).ToString());
        Assert.Equal(["female", "male"], twoNode.Tracks.Select(t => t.Name));
        Instance first2 = twoNode.LabeledFrames[0].Instances[0];
        Assert.Same(twoNode.Tracks[1], first2.Track);
        Assert.Equal(new Point(335.25, 444.75, true, false), first2.Points[0]);
        Assert.Equal(new Point(301.75, 457.75, true, false), first2.Points[1]);
        Assert.Equal("tests/data/tracks\\clip.mp4", twoNode.Videos[0].Filename);
        Assert.Equal(Paths.Fixture("tracks", "clip.mp4"), twoNode.Videos[0].ResolvedPath);
    }

    [Fact]
    public void PredictionsOfFormat11HaveZeroTrackingScore()
    {
        Labels labels = Read("models/minimal_instance.UNet.bottomup/labels_pr.val.slp");

        var prediction = Assert.IsType<PredictedInstance>(labels.LabeledFrames[0].Instances[0]);
        Assert.Equal(1.0040342807769775, prediction.Score);
        Assert.Equal(0.0, prediction.TrackingScore);
        Assert.Equal(new Point(205.57424926757812, 188.81106567382812, true, false, 0.8852132558822632), prediction.Points[0]);
        Assert.Equal(new Point(278.7353515625, 204.41049194335938, true, false, 1.017859935760498), prediction.Points[1]);
    }

    [Fact]
    public void SingleImageVideoResolvesEachImage()
    {
        Labels labels = Read("siv_format_v1/small_robot_siv.slp");

        Video video = labels.Videos[0];
        Assert.Equal(VideoBackend.ImageSequence, video.Backend);
        Assert.Equal((320, 560, 3), (video.Height, video.Width, video.Channels));
        Assert.Equal(new[] { "robot0.jpg", "robot1.jpg", "robot2.jpg" }.Select(n => Paths.Fixture("videos", n)), video.ResolvedImageFilenames);
        Assert.Equal(Paths.Fixture("videos", "robot0.jpg"), video.ResolvedPath);
        Assert.Equal(["1"], labels.Skeletons[0].NodeNames);
        Assert.Equal(new Point(0.0, 0.0, true, false), labels.LabeledFrames[0].Instances[0].Points[0]);
    }

    [Fact]
    public void RobotModelLabelsFindTheVideoFromAWindowsAbsolutePath()
    {
        Labels labels = Read("models/minimal_robot.UNet.single_instance/labels_gt.val.slp");

        Assert.Equal("D:/sleap_feature/tests/data/videos/small_robot.mp4", labels.Videos[0].Filename);
        Assert.Equal(Paths.Fixture("videos", "small_robot.mp4"), labels.Videos[0].ResolvedPath);
        Assert.Equal(79, labels.LabeledFrames[0].FrameIndex);
        Assert.Equal(47.52269258234977, labels.LabeledFrames[0].Instances[0]["A"].Y);
    }
}
