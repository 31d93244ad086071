using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO;
using SleapPS.Tests.Inference.SleapNn;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Frames;

/// <summary>
/// VideoHeaders fills a labels file's videos with their shape from the file header, and LabelsReader does so on reading:
/// the same numbers opening the video gives, nothing changed that the file stored, missing videos left unknown.
/// </summary>
public sealed class VideoHeadersTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("videos", "centered_pair_small.mp4", true)]
    [InlineData("videos", "small_robot.mp4", false)]
    [InlineData("videos", "small_robot_3_frame.mp4", false)]
    [InlineData("tracks", "clip.mp4", true)]
    [InlineData("json_format_v1", "centered_pair_low_quality.mp4", true)]
    public void A_movie_header_gives_the_shape_that_opening_it_gives(string folder, string name, bool grayscale)
    {
        string path = Paths.Fixture(folder, name);
        var fromHeader = new Video(path, VideoBackend.Media) { ResolvedPath = path, Grayscale = grayscale };
        var opened = new Video(path, VideoBackend.Media) { ResolvedPath = path, Grayscale = grayscale };
        Assert.True(VideoHeaders.TryFill(fromHeader));
        FrameSources.Open(opened).Dispose();
        Assert.Equal((opened.FrameCount, opened.Height, opened.Width, opened.Channels, opened.Fps),
            (fromHeader.FrameCount, fromHeader.Height, fromHeader.Width, fromHeader.Channels, fromHeader.Fps));
    }

    [Fact]
    public void A_movie_whose_grayscale_flag_is_unknown_gets_its_size_but_no_channel_count()
    {
        string path = Paths.Fixture("videos", "small_robot.mp4");
        var video = new Video(path, VideoBackend.Media) { ResolvedPath = path };
        Assert.True(VideoHeaders.TryFill(video));
        Assert.Equal((166L, 320, 560, 30.0), (video.FrameCount, video.Height, video.Width, video.Fps));
        Assert.Null(video.Channels);
        Assert.Null(video.Grayscale);
    }

    [Fact]
    public void A_file_that_is_not_a_movie_leaves_the_shape_unknown()
    {
        string path = _dir.File("broken.mp4");
        File.WriteAllText(path, "not a movie");
        var video = new Video(path, VideoBackend.Media) { ResolvedPath = path, Grayscale = true };
        Assert.False(VideoHeaders.TryFill(video));
        Assert.Equal((null, null, null, null, null), (video.FrameCount, video.Height, video.Width, video.Channels, video.Fps));
    }

    [Fact]
    public void Reading_labels_fills_a_found_video_from_its_header()
    {
        var video = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp")).Videos.Single();
        Assert.Equal(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), video.ResolvedPath);
        Assert.Equal((1100L, 384, 384, 1), (video.FrameCount, video.Height, video.Width, video.Channels));
        Assert.NotNull(video.Fps);
        Assert.True(video.Grayscale);
    }

    [Fact]
    public void Reading_labels_leaves_a_missing_video_unsized()
    {
        var video = LabelsReader.Read(Paths.Fixture("slp_hdf5", "dance.mp4.labels.slp")).Videos.Single();
        Assert.False(video.IsAvailable);
        Assert.Equal((null, null, null, null, null), (video.FrameCount, video.Height, video.Width, video.Channels, video.Fps));
    }

    [Fact]
    public void Reading_a_package_fills_its_embedded_video_from_the_dataset()
    {
        string package = Path.Combine(SleapNnFixtures.Root, "datasets", "minimal_instance.pkg.slp");
        var video = LabelsReader.Read(package).Videos.Single();
        Assert.Equal(VideoBackend.Hdf5, video.Backend);
        Assert.Equal((1L, 384, 384, 1), (video.FrameCount, video.Height, video.Width, video.Channels));
        Assert.Null(video.Fps);
    }

    [Fact]
    public void Headers_can_be_left_unread()
    {
        var video = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp"), new LabelsReadOptions { ReadVideoHeaders = false }).Videos.Single();
        Assert.True(video.IsAvailable);
        Assert.Null(video.Height);
    }

    [Theory]
    [InlineData("slp_hdf5", "minimal_instance.slp")]
    [InlineData("tracks", "clip.slp")]
    [InlineData("siv_format_v1", "small_robot_siv.slp")]
    public void A_file_read_with_headers_is_written_back_byte_for_byte_as_without(string folder, string name)
    {
        string source = Paths.Fixture(folder, name);
        string withHeaders = _dir.File("with.slp"), without = _dir.File("without.slp");
        SlpWriter.Write(LabelsReader.Read(source), withHeaders);
        SlpWriter.Write(LabelsReader.Read(source, new LabelsReadOptions { ReadVideoHeaders = false }), without);
        Assert.Equal(File.ReadAllBytes(without), File.ReadAllBytes(withHeaders));
    }
}
