using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO;

public class VideoPathResolverTests
{
    private static readonly string CenteredPair = Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4");

    [Theory]
    // Relative path from another checkout: found by its trailing parts under a parent of the labels folder.
    [InlineData("slp_hdf5/minimal_instance.slp", "tests/data/json_format_v1/centered_pair_low_quality.mp4", "json_format_v1/centered_pair_low_quality.mp4")]
    [InlineData("hdf5_format_v1/centered_pair_predictions.slp", "tests/data/json_format_v1/centered_pair_low_quality.mp4", "json_format_v1/centered_pair_low_quality.mp4")]
    // Mixed separators (written on Windows): same name beside the labels file.
    [InlineData("tracks/clip.2node.slp", "tests/data/tracks\\clip.mp4", "tracks/clip.mp4")]
    [InlineData("tracks/clip.slp", "clip.mp4", "tracks/clip.mp4")]
    // Absolute path from another machine.
    [InlineData("models/minimal_robot.UNet.single_instance/labels_gt.val.slp", "D:/sleap_feature/tests/data/videos/small_robot.mp4", "videos/small_robot.mp4")]
    [InlineData("siv_format_v1/small_robot_siv.slp", "D:/social-leap-estimates-animal-poses/pull-requests/siv-grayscale/sleap/tests/data/videos\\robot1.jpg", "videos/robot1.jpg")]
    public void FindsFixtureVideosFromTheirStoredPaths(string labels, string stored, string expected)
    {
        Assert.Equal(Paths.Fixture(expected.Split('/')), VideoPathResolver.Resolve(stored, Paths.Fixture(labels.Split('/')), []));
    }

    [Fact]
    public void ExistingAbsolutePathIsUsedAsIs()
    {
        Assert.Equal(CenteredPair, VideoPathResolver.Resolve(CenteredPair, null, []));
    }

    [Fact]
    public void MissingVideoGivesNull()
    {
        Assert.Null(VideoPathResolver.Resolve("/home/talmolab/projects/sleap_hackathon/sleap/tests/data/videos/dance.mp4",
            Paths.Fixture("slp_hdf5", "dance.mp4.labels.slp"), []));
    }

    [Fact]
    public void SearchPathsAreTriedByTrailingPartsAndFileName()
    {
        using var dir = new TempDir();
        string labelsPath = dir.File("labels.slp");
        string stored = "C:\\Users\\lab\\session1\\cam0.mp4";
        Assert.Null(VideoPathResolver.Resolve(stored, labelsPath, []));

        string byName = Path.Combine(dir.FullName, "elsewhere");
        Directory.CreateDirectory(byName);
        File.WriteAllBytes(Path.Combine(byName, "cam0.mp4"), []);
        string bySuffix = Path.Combine(dir.FullName, "archive");
        Directory.CreateDirectory(Path.Combine(bySuffix, "session1"));
        File.WriteAllBytes(Path.Combine(bySuffix, "session1", "cam0.mp4"), []);

        Assert.Equal(Path.Combine(byName, "cam0.mp4"), VideoPathResolver.Resolve(stored, labelsPath, [byName, bySuffix]));
        Assert.Equal(Path.Combine(bySuffix, "session1", "cam0.mp4"), VideoPathResolver.Resolve(stored, labelsPath, [bySuffix, byName]));
    }

    [Fact]
    public void RelativePathIsTakenFromTheLabelsFolderFirst()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("videos"));
        File.WriteAllBytes(dir.File(Path.Combine("videos", "a.mp4")), []);
        Assert.Equal(dir.File(Path.Combine("videos", "a.mp4")), VideoPathResolver.Resolve("videos/a.mp4", dir.File("x.slp"), []));
    }

    [Fact]
    public void ResolveAllUsesOptionsAndLeavesMissingVideosNull()
    {
        using var dir = new TempDir();
        var labels = new Labels { SourcePath = dir.File("labels.slp") };
        var found = new Video("/nowhere/centered_pair_low_quality.mp4", VideoBackend.Media);
        var missing = new Video("/nowhere/absent.mp4", VideoBackend.Media);
        var images = new Video("/nowhere/robot0.jpg", VideoBackend.ImageSequence);
        images.ImageFilenames.AddRange(["/nowhere/robot0.jpg", "/nowhere/robot1.jpg"]);
        var partial = new Video("/nowhere/robot0.jpg", VideoBackend.ImageSequence);
        partial.ImageFilenames.AddRange(["/nowhere/robot0.jpg", "/nowhere/robot9.jpg"]);
        labels.Videos.AddRange([found, missing, images, partial]);
        var options = new LabelsReadOptions();
        options.VideoSearchPaths.Add(Paths.Fixture("json_format_v1"));
        options.VideoSearchPaths.Add(Paths.Fixture("videos"));

        VideoPathResolver.ResolveAll(labels, options);

        Assert.Equal(CenteredPair, found.ResolvedPath);
        Assert.Null(missing.ResolvedPath);
        Assert.Equal([Paths.Fixture("videos", "robot0.jpg"), Paths.Fixture("videos", "robot1.jpg")], images.ResolvedImageFilenames);
        Assert.Equal(Paths.Fixture("videos", "robot0.jpg"), images.ResolvedPath);
        Assert.Empty(partial.ResolvedImageFilenames);
        Assert.Null(partial.ResolvedPath);
    }

    [Fact]
    public void SlpReaderPassesSearchPathsThrough()
    {
        var options = new LabelsReadOptions();
        options.VideoSearchPaths.Add(Paths.Fixture("json_format_v1"));
        // dance.mp4 is not in the fixtures, so it stays missing even with a search path.
        Labels labels = SlpReader.Read(Paths.Fixture("slp_hdf5", "dance.mp4.labels.slp"), options);
        Assert.Null(labels.Videos[0].ResolvedPath);
    }
}
