using SleapPS.Engine;
using SleapPS.Engine.Frames;
using SleapPS.Tests.Support;
using DataVideo = SleapPS.Engine.Data.Video;
using VideoBackend = SleapPS.Engine.Data.VideoBackend;

namespace SleapPS.Tests.Frames;

public class FrameSourcesTests
{
    [Fact]
    public void DescribeFile_fills_a_media_videos_shape()
    {
        string path = Paths.Fixture("videos", "small_robot.mp4");
        DataVideo video = FrameSources.DescribeFile(path);
        Assert.Equal(VideoBackend.Media, video.Backend);
        Assert.Equal(path, video.Filename);
        Assert.Equal(path, video.ResolvedPath);
        Assert.Equal((166L, 320, 560, 3), (video.FrameCount, video.Height, video.Width, video.Channels));
        Assert.Equal(30.0, video.Fps!.Value, 3);
        Assert.False(video.Grayscale);
    }

    [Fact]
    public void DescribeFile_detects_grayscale()
    {
        DataVideo video = FrameSources.DescribeFile(Paths.Fixture("tracks", "clip.mp4"));
        Assert.True(video.Grayscale);
        Assert.Equal((1500L, 1024, 1024, 1), (video.FrameCount, video.Height, video.Width, video.Channels));
    }

    [Fact]
    public void DescribeFile_on_an_image_is_a_one_frame_image_sequence()
    {
        string path = Paths.Fixture("videos", "robot1.jpg");
        DataVideo video = FrameSources.DescribeFile(path);
        Assert.Equal(VideoBackend.ImageSequence, video.Backend);
        Assert.Equal([path], video.ImageFilenames);
        Assert.Equal((1L, 320, 560, 3), (video.FrameCount, video.Height, video.Width, video.Channels));
        Assert.Null(video.Fps);
    }

    [Fact]
    public void DescribeFile_on_a_folder_is_the_sequence_of_its_images()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "robot0.jpg", "robot1.jpg", "robot2.jpg" })
            File.Copy(Paths.Fixture("videos", name), dir.File(name));
        DataVideo video = FrameSources.DescribeFile(dir.FullName);
        Assert.Equal(VideoBackend.ImageSequence, video.Backend);
        Assert.Equal(dir.File("robot0.jpg"), video.Filename);
        Assert.Equal([dir.File("robot0.jpg"), dir.File("robot1.jpg"), dir.File("robot2.jpg")], video.ImageFilenames);
        Assert.Equal((3L, 320, 560, 3), (video.FrameCount, video.Height, video.Width, video.Channels));
    }

    [Fact]
    public void DescribeFile_on_a_missing_path_is_a_NotFound_error_naming_it()
    {
        string path = Paths.Fixture("videos", "missing.mp4");
        var ex = Assert.Throws<SleapException>(() => FrameSources.DescribeFile(path));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal(path, ex.Path);
        Assert.Equal($"Cannot find path '{path}' because it does not exist.", ex.Message);
    }

    [Fact]
    public void DescribeFile_on_an_unknown_extension_is_a_NotSupported_error_naming_it()
    {
        using var dir = new TempDir();
        string path = dir.File("notes.txt");
        File.WriteAllText(path, "text");
        var ex = Assert.Throws<SleapException>(() => FrameSources.DescribeFile(path));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal(
            $"'{path}' is not a video SleapPS can read: its extension '.txt' is none of .mp4, .avi, .mov, .mj2, .mkv, .jpg, .jpeg, .png, .tif, .tiff, .bmp, .h5, .hdf5, .slp.",
            ex.Message);
    }

    [Fact]
    public void Open_uses_the_grayscale_flag_the_labels_file_gives()
    {
        var video = new DataVideo("elsewhere/small_robot.mp4", VideoBackend.Media)
        {
            ResolvedPath = Paths.Fixture("videos", "small_robot.mp4"),
            Grayscale = true,
        };
        using var source = FrameSources.Open(video);
        Assert.True(source.IsGrayscale);
        Assert.Equal(1, video.Channels);
        Assert.Equal(320 * 560, source.ReadFrame(0).Length);
    }

    [Fact]
    public void Open_of_a_video_that_was_not_found_is_a_NotFound_error_naming_the_stored_filename()
    {
        var video = new DataVideo(@"C:\lab\2019\fly.mp4", VideoBackend.Media);
        var ex = Assert.Throws<SleapException>(() => FrameSources.Open(video));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal(@"C:\lab\2019\fly.mp4", ex.Path);
        Assert.Equal(
            @"The video 'C:\lab\2019\fly.mp4' was not found, so its frames cannot be read. Pass the folder that holds it with -VideoSearchPath, or put it next to the labels file.",
            ex.Message);
    }

    [Fact]
    public void Open_finds_stored_image_names_beside_the_resolved_first_image()
    {
        // Image filenames as written on another machine; the images now sit in the fixture folder.
        var video = new DataVideo(@"D:\robot\robot0.jpg", VideoBackend.ImageSequence) { ResolvedPath = Paths.Fixture("videos", "robot0.jpg") };
        video.ImageFilenames.AddRange([@"D:\robot\robot0.jpg", @"D:\robot\robot1.jpg", "/home/someone/robot2.jpg"]);
        using var source = FrameSources.Open(video);
        var files = ((ImageSequenceFrameSource)source).Files;
        Assert.Equal([Paths.Fixture("videos", "robot0.jpg"), Paths.Fixture("videos", "robot1.jpg"), Paths.Fixture("videos", "robot2.jpg")], files);
        Assert.Equal(3L, video.FrameCount);
    }

    [Fact]
    public void Open_names_a_stored_image_that_cannot_be_found()
    {
        var video = new DataVideo(@"D:\robot\robot0.jpg", VideoBackend.ImageSequence) { ResolvedPath = Paths.Fixture("videos", "robot0.jpg") };
        video.ImageFilenames.AddRange([@"D:\robot\robot0.jpg", @"D:\robot\robot7.jpg"]);
        var ex = Assert.Throws<SleapException>(() => FrameSources.Open(video));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal(
            $@"The image 'D:\robot\robot7.jpg' of the video 'D:\robot\robot0.jpg' was not found, neither as written nor in '{Paths.Fixture("videos")}'. Put the images together in one folder and pass it with -VideoSearchPath.",
            ex.Message);
    }

    [Fact]
    public void Open_refuses_backends_it_cannot_read()
    {
        var video = new DataVideo("frames.npy", VideoBackend.Numpy) { ResolvedPath = "/data/frames.npy" };
        var ex = Assert.Throws<SleapException>(() => FrameSources.Open(video));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal("The video '/data/frames.npy' uses SLEAP's Numpy backend, which SleapPS cannot read. Convert it to an mp4 or a folder of images.", ex.Message);
    }

    [Theory]
    [InlineData("a.MP4", VideoBackend.Media)]
    [InlineData("a.mkv", VideoBackend.Media)]
    [InlineData("a.Jpeg", VideoBackend.ImageSequence)]
    [InlineData("a.tif", VideoBackend.ImageSequence)]
    [InlineData("labels.pkg.slp", VideoBackend.Hdf5)]
    [InlineData("a.h5", VideoBackend.Hdf5)]
    [InlineData("a.npy", VideoBackend.Numpy)]
    [InlineData("store/metadata.yaml", VideoBackend.ImgStore)]
    [InlineData("a.txt", null)]
    public void BackendForFilename_follows_SLEAPs_extension_rules(string filename, VideoBackend? expected) =>
        Assert.Equal(expected, FrameSources.BackendForFilename(filename));
}
