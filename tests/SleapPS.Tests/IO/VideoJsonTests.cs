using System.Text.Json.Nodes;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Tests.IO;

public class VideoJsonTests
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void DecodesMediaVideoAndWritesItBackUnchanged()
    {
        // videos_json[0] of slp_hdf5/minimal_instance.slp.
        const string json = """{"backend":{"filename":"tests/data/json_format_v1/centered_pair_low_quality.mp4","grayscale":true,"bgr":true,"dataset":"","input_format":""}}""";
        var video = VideoJson.Decode(Parse(json));

        Assert.Equal("tests/data/json_format_v1/centered_pair_low_quality.mp4", video.Filename);
        Assert.Equal(VideoBackend.Media, video.Backend);
        Assert.True(video.Grayscale);
        Assert.Null(video.Dataset);
        Assert.Null(video.ResolvedPath);
        Assert.Equal(json, VideoJson.Encode(video).ToJsonString());
    }

    [Fact]
    public void DecodesSingleImageVideo()
    {
        // videos_json[0] of siv_format_v1/small_robot_siv.slp (Windows paths with backslashes).
        const string json = """{"backend":{"filename":"D:/social-leap-estimates-animal-poses/pull-requests/siv-grayscale/sleap/tests/data/videos\\robot0.jpg","filenames":["D:/social-leap-estimates-animal-poses/pull-requests/siv-grayscale/sleap/tests/data/videos\\robot0.jpg","D:/social-leap-estimates-animal-poses/pull-requests/siv-grayscale/sleap/tests/data/videos\\robot1.jpg","D:/social-leap-estimates-animal-poses/pull-requests/siv-grayscale/sleap/tests/data/videos\\robot2.jpg"],"height_":320,"width_":560,"channels_":3}}""";
        var video = VideoJson.Decode(Parse(json));

        Assert.Equal(VideoBackend.ImageSequence, video.Backend);
        Assert.Equal(3, video.ImageFilenames.Count);
        Assert.EndsWith("videos\\robot2.jpg", video.ImageFilenames[2]);
        Assert.Equal((320, 560, 3), (video.Height, video.Width, video.Channels));
        Assert.Equal(3, video.FrameCount);
        Assert.Null(video.Grayscale);
        Assert.Equal(json, VideoJson.Encode(video).ToJsonString());
    }

    [Fact]
    public void DecodesEmbeddedHdf5VideoAndDummy()
    {
        var embedded = VideoJson.Decode(Parse("""{"backend":{"filename":".","dataset":"video0/video","input_format":"channels_last","convert_range":false}}"""));
        Assert.Equal(VideoBackend.Hdf5, embedded.Backend);
        Assert.Equal("video0/video", embedded.Dataset);

        var dummy = VideoJson.Decode(Parse("""{"backend":{"filename":"fake.mp4","height":100,"width":200,"frames":7,"channels":1,"dummy":true}}"""));
        Assert.Equal(VideoBackend.Dummy, dummy.Backend);
        Assert.Equal((100, 200, 1, 7L), (dummy.Height, dummy.Width, dummy.Channels, dummy.FrameCount));
    }

    [Theory]
    [InlineData("a/b.MP4", VideoBackend.Media)]
    [InlineData("x.avi", VideoBackend.Media)]
    [InlineData("x.mkv", VideoBackend.Media)]
    [InlineData("x.pkg.slp", VideoBackend.Hdf5)]
    [InlineData("x.h5", VideoBackend.Hdf5)]
    [InlineData(".", VideoBackend.Hdf5)]
    [InlineData("x.npy", VideoBackend.Numpy)]
    [InlineData("store/metadata.yaml", VideoBackend.ImgStore)]
    [InlineData("C:\\frames\\img.TIF", VideoBackend.ImageSequence)]
    [InlineData("img.jpeg", VideoBackend.ImageSequence)]
    public void BackendFollowsTheExtension(string filename, VideoBackend expected) =>
        Assert.Equal(expected, VideoJson.BackendOf(filename));

    [Fact]
    public void EncodeUsesCurrentFilenameOverStoredMetadata()
    {
        var video = VideoJson.Decode(Parse("""{"backend":{"filename":"old.mp4","grayscale":false,"bgr":true,"dataset":"","input_format":"channels_last"}}"""));
        video.Filename = "/data/new.mp4";
        Assert.Equal("""{"backend":{"filename":"/data/new.mp4","grayscale":false,"bgr":true,"dataset":"","input_format":"channels_last"}}""",
            VideoJson.Encode(video).ToJsonString());
    }

    [Fact]
    public void EncodeWritesSleapFieldsForNewVideos()
    {
        Assert.Equal("""{"backend":{"filename":"clip.mp4","grayscale":true,"bgr":true,"dataset":"","input_format":""}}""",
            VideoJson.Encode(new Video("clip.mp4", VideoBackend.Media) { Grayscale = true }).ToJsonString());

        var images = new Video("a.png", VideoBackend.ImageSequence) { Height = 4, Width = 5, Channels = 1 };
        images.ImageFilenames.AddRange(["a.png", "b.png"]);
        Assert.Equal("""{"backend":{"filename":"a.png","filenames":["a.png","b.png"],"height_":4,"width_":5,"channels_":1,"grayscale":null}}""",
            VideoJson.Encode(images).ToJsonString());

        var roundTrip = VideoJson.Decode(VideoJson.Encode(images));
        Assert.Equal(["a.png", "b.png"], roundTrip.ImageFilenames);
        Assert.Equal(VideoBackend.ImageSequence, roundTrip.Backend);
    }
}
