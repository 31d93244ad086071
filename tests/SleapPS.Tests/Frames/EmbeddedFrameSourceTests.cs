using System.Diagnostics;
using System.Text.Json;
using OpenCvSharp;
using SleapPS.Engine;
using SleapPS.Engine.Frames;
using SleapPS.Tests.Support;
using VideoBackend = SleapPS.Engine.Data.VideoBackend;

namespace SleapPS.Tests.Frames;

/// <summary>
/// No fixture embeds frames, so each test builds a .pkg.slp-style file: frames of fixture videos,
/// encoded here with OpenCV exactly as SLEAP encodes them (its RGB arrays handed to imencode as if
/// BGR), written into HDF5 by h5py (tests/python/write_embedded_frames.py).
/// </summary>
public sealed class EmbeddedFrameSourceTests : IDisposable
{
    private static readonly long[] GrayFrames = [0, 7, 500];
    private static readonly long[] ColourFrames = [3, 79];
    private static readonly long[] RawFrames = [1, 2, 165];

    private readonly TempDir _dir = new();
    private readonly string _package;
    private readonly Dictionary<(string, long), byte[]> _expected = new();

    public EmbeddedFrameSourceTests()
    {
        _package = _dir.File("embedded.pkg.slp");
        var groups = new List<object>
        {
            EncodedGroup("video0", Paths.Fixture("videos", "centered_pair_small.mp4"), GrayFrames),
            EncodedGroup("video1", Paths.Fixture("videos", "small_robot.mp4"), ColourFrames),
            RawGroup("video2", Paths.Fixture("videos", "small_robot.mp4"), RawFrames),
        };
        string manifest = _dir.File("manifest.json");
        File.WriteAllText(manifest, JsonSerializer.Serialize(new { groups }));
        RunPython(Path.Combine(Paths.RepoRoot, "tests", "python", "write_embedded_frames.py"), _package, manifest);
    }

    [Fact]
    public void Grayscale_PNG_rows_decode_to_the_exact_frames()
    {
        using var source = new EmbeddedFrameSource(_package, "video0/video");
        Assert.Equal(GrayFrames.Length, source.FrameCount);
        Assert.Equal(GrayFrames, source.FrameNumbers);
        Assert.Equal((384, 384, 1), (source.Height, source.Width, source.Channels));
        Assert.True(source.IsGrayscale);
        foreach (long frame in GrayFrames.Reverse())
            Assert.Equal(_expected[("video0", frame)], source.ReadFrame(frame));
    }

    [Fact]
    public void Colour_PNG_rows_decode_without_a_swap_to_SLEAPs_RGB_frames()
    {
        using var source = new EmbeddedFrameSource(_package, "video1");   // the group name works too, as in SLEAP
        Assert.Equal("video1/video", source.DatasetPath);
        Assert.Equal((320, 560, 3), (source.Height, source.Width, source.Channels));
        Assert.False(source.IsGrayscale);
        foreach (long frame in ColourFrames)
            Assert.Equal(_expected[("video1", frame)], source.ReadFrame(frame));
    }

    [Fact]
    public void Raw_arrays_read_back_exactly()
    {
        using var source = new EmbeddedFrameSource(_package, "video2/video");
        Assert.Equal(RawFrames.Length, source.FrameCount);
        Assert.Equal((320, 560, 3), (source.Height, source.Width, source.Channels));
        foreach (long frame in new long[] { 165, 1, 2 })
            Assert.Equal(_expected[("video2", frame)], source.ReadFrame(frame));
    }

    [Fact]
    public void Grayscale_flag_keeps_channel_0_of_colour_rows()
    {
        using var source = new EmbeddedFrameSource(_package, "video1/video", grayscale: true);
        Assert.Equal(1, source.Channels);
        byte[] rgb = _expected[("video1", 79)];
        byte[] gray = source.ReadFrame(79);
        for (int p = 0; p < gray.Length; p++)
            Assert.Equal(rgb[3 * p], gray[p]);
    }

    [Fact]
    public void A_frame_that_is_not_embedded_is_an_InvalidArgument_error_listing_those_that_are()
    {
        using var source = new EmbeddedFrameSource(_package, "video0/video");
        Assert.True(source.Contains(7));
        Assert.False(source.Contains(1));
        var ex = Assert.Throws<SleapException>(() => source.ReadFrame(1));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"Frame 1 is not embedded in '{_package}' (video0/video), which holds 3 frames: 0, 7, 500. Read it from the original video instead.", ex.Message);
    }

    [Fact]
    public void FrameSources_Open_reads_an_Hdf5_video_and_fills_its_shape()
    {
        var video = new SleapPS.Engine.Data.Video(".", VideoBackend.Hdf5) { ResolvedPath = _package, Dataset = "video1/video" };
        using var source = FrameSources.Open(video);
        Assert.IsType<EmbeddedFrameSource>(source);
        Assert.Equal((2L, 320, 560, 3), (video.FrameCount, video.Height, video.Width, video.Channels));
        Assert.False(video.Grayscale);
        Assert.Null(video.Fps);
        Assert.Equal(ColourFrames, video.EmbeddedFrameNumbers);
        Assert.Equal(_expected[("video1", 3)], source.ReadFrame(3));
    }

    [Theory]
    [InlineData("video0/video")]   // PNG rows, with SLEAP's height/width/channels attributes
    [InlineData("video1")]         // the group name, as SLEAP also accepts
    [InlineData("video2/video")]   // a raw (n, H, W, C) array, sized by its shape
    public void VideoHeaders_fill_the_shape_Open_gives_without_decoding_a_row(string dataset)
    {
        var fromHeader = new SleapPS.Engine.Data.Video(".", VideoBackend.Hdf5) { ResolvedPath = _package, Dataset = dataset };
        var opened = new SleapPS.Engine.Data.Video(".", VideoBackend.Hdf5) { ResolvedPath = _package, Dataset = dataset };
        Assert.True(VideoHeaders.TryFill(fromHeader));
        FrameSources.Open(opened).Dispose();
        Assert.NotNull(fromHeader.Height);
        Assert.Equal((opened.FrameCount, opened.Height, opened.Width, opened.Channels, opened.Fps),
            (fromHeader.FrameCount, fromHeader.Height, fromHeader.Width, fromHeader.Channels, fromHeader.Fps));
        Assert.Null(fromHeader.Grayscale);   // left to the labels file, or to opening the video
    }

    [Fact]
    public void A_missing_dataset_is_an_InvalidData_error()
    {
        var ex = Assert.Throws<SleapException>(() => new EmbeddedFrameSource(_package, "video9/video"));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The file '{_package}' has no embedded frames at 'video9/video'. It may have been saved without images; open the labels' original video instead.", ex.Message);
    }

    [Fact]
    public void A_file_that_is_not_HDF5_is_an_InvalidData_error_naming_it()
    {
        string path = _dir.File("notes.slp");
        File.WriteAllText(path, "not hdf5");
        var ex = Assert.Throws<SleapException>(() => new EmbeddedFrameSource(path, "video0/video"));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(path, ex.Path);
        Assert.StartsWith($"The file '{path}' cannot be read as HDF5, so its embedded frames cannot be read: ", ex.Message);
    }

    /// <summary>Frames as SLEAP's video reader returns them, PNG-encoded as SLEAP's writer does.</summary>
    private object EncodedGroup(string group, string videoPath, long[] frames)
    {
        using var video = new MediaFrameSource(videoPath);
        var files = new List<string>();
        foreach (long frame in frames)
        {
            byte[] pixels = video.ReadFrame(frame);
            _expected[(group, frame)] = pixels;
            // SLEAP hands its RGB array to cv2.imencode, which takes it for BGR.
            using var image = Mat.FromPixelData(video.Height, video.Width, MatType.CV_8UC(video.Channels), pixels);
            Assert.True(Cv2.ImEncode(".png", image, out byte[] png));
            string file = _dir.File($"{group}_{frame}.png");
            File.WriteAllBytes(file, png);
            files.Add(file);
        }
        return new
        {
            group, kind = "encoded", format = "png", files, frame_numbers = frames,
            height = video.Height, width = video.Width, channels = video.Channels,
            source_video_json = JsonSerializer.Serialize(new { backend = new { filename = videoPath } }),
        };
    }

    private object RawGroup(string group, string videoPath, long[] frames)
    {
        using var video = new MediaFrameSource(videoPath);
        string file = _dir.File(group + ".raw");
        using (var stream = File.Create(file))
            foreach (long frame in frames)
            {
                byte[] pixels = video.ReadFrame(frame);
                _expected[(group, frame)] = pixels;
                stream.Write(pixels);
            }
        return new { group, kind = "raw", file, shape = new[] { frames.Length, video.Height, video.Width, video.Channels }, frame_numbers = frames };
    }

    private static void RunPython(params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "write_embedded_frames.py failed: " + stderr);
    }

    public void Dispose() => _dir.Dispose();
}
