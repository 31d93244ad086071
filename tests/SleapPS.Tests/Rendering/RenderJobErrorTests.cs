using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.Rendering;
using SleapPS.Tests.Support;
using SleapPS.Engine.Frames;

namespace SleapPS.Tests.Rendering;

/// <summary>What a render refuses, with the message it gives, and that it never leaves a file behind.</summary>
public sealed class RenderJobErrorTests : IDisposable
{
    private static readonly string Clip = Paths.Fixture("tracks", "clip.slp");
    private static readonly string MinimalInstance = Paths.Fixture("slp_hdf5", "minimal_instance.slp");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SleapException Refused(Labels labels, string path, string? frames = "0", RenderOptions? options = null, Video? video = null)
    {
        var ex = Assert.Throws<SleapException>(() =>
            RenderJob.Prepare(labels, video ?? labels.Videos[0], path, frames is null ? null : FrameList.Parse(frames), options).Dispose());
        return ex;
    }

    [Fact]
    public void An_unknown_extension_is_refused_naming_it()
    {
        var ex = Refused(LabelsReader.Read(MinimalInstance), _dir.File("out.gif"));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"Cannot render to '{_dir.File("out.gif")}': its extension '.gif' is none of .mp4, .avi (video) or .png (images).", ex.Message);
    }

    [Fact]
    public void A_codec_the_container_cannot_take_is_refused_listing_those_that_work()
    {
        var labels = LabelsReader.Read(MinimalInstance);
        var ffv1 = Refused(labels, _dir.File("out.mp4"), options: new RenderOptions { Codec = "FFV1" });
        Assert.Equal(SleapErrorKind.NotSupported, ffv1.Kind);
        Assert.Equal($"The codec 'FFV1' cannot write '{_dir.File("out.mp4")}'. Codecs that work for .mp4 files here: mp4v, MJPG, XVID. 'FFV1' works for .avi files.", ffv1.Message);
        var h264 = Refused(labels, _dir.File("out.avi"), options: new RenderOptions { Codec = "avc1" });
        Assert.Equal($"The codec 'avc1' cannot write '{_dir.File("out.avi")}'. Codecs that work for .avi files here: MJPG, mp4v, XVID, FFV1.", h264.Message);
        var png = Refused(labels, _dir.File("out.png"), options: new RenderOptions { Codec = "MJPG" });
        Assert.Equal($"The codec 'MJPG' applies to video output, but '{_dir.File("out.png")}' is a PNG image. Leave out the codec, or write to .mp4 or .avi.", png.Message);
    }

    [Fact]
    public void Frames_outside_the_video_are_refused_naming_the_frame()
    {
        var labels = LabelsReader.Read(Clip);
        var ex = Refused(labels, _dir.File("out.avi"), "0-4,1495-1500");
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("Frame 1500 is out of range for the video 'clip.mp4', which has 1500 frames (0 to 1499).", ex.Message);
        Assert.Empty(_dir.Entries);
    }

    [Fact]
    public void A_video_that_was_not_found_is_refused_saying_how_to_find_it()
    {
        string copy = _dir.File("clip.slp");
        File.Copy(Clip, copy);
        var labels = LabelsReader.Read(copy);
        var ex = Refused(labels, _dir.File("out.mp4"));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal("The video 'clip.mp4' of these labels was not found, so there are no frames to draw on. " +
                     "Import the labels again with Import-SleapLabels -VideoSearchPath <the folder that holds the video>.", ex.Message);
        Assert.Equal("clip.mp4", ex.Path);
    }

    [Fact]
    public void The_video_must_belong_to_the_labels_and_cannot_be_the_output()
    {
        var labels = LabelsReader.Read(MinimalInstance);
        var other = LabelsReader.Read(Clip).Videos[0];
        Assert.Equal("The video 'clip.mp4' is not one of the videos of these labels. Pass one of their Videos, or its index (0 to 0).",
            Refused(labels, _dir.File("out.mp4"), video: other).Message);
        string videoPath = labels.Videos[0].ResolvedPath!;
        Assert.Equal($"'{videoPath}' is the video being drawn on; it cannot also be the output. Choose another output path.",
            Refused(labels, videoPath).Message);
    }

    [Theory]
    [InlineData(-1.0, 2, 1.0, null, "The marker size -1 cannot be used: give a radius in pixels of 0 (no points) or more.")]
    [InlineData(4.0, -2, 1.0, null, "The line width -2 cannot be used: give a thickness in pixels of 0 (no edges) or more.")]
    [InlineData(4.0, 2, 0.0, null, "The scale 0 cannot be used: give a factor greater than 0 and at most 8 (1 keeps the video's size).")]
    [InlineData(4.0, 2, 1.0, 0.0, "The frame rate 0 cannot be used: give a number of frames per second greater than 0.")]
    public void Unusable_options_are_refused_naming_the_value(double markerSize, int lineWidth, double scale, double? fps, string message)
    {
        var ex = Refused(LabelsReader.Read(MinimalInstance), _dir.File("out.avi"),
            options: new RenderOptions { MarkerSize = markerSize, LineWidth = lineWidth, Scale = scale, Fps = fps });
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Without_frames_the_span_of_labelled_frames_is_rendered()
    {
        var labels = LabelsReader.Read(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
        using var job = RenderJob.Prepare(labels, labels.Videos[0], _dir.File("out.avi"));
        var labelled = labels.LabeledFrames.Select(f => f.FrameIndex).ToList();
        Assert.Equal(labelled.Max() - labelled.Min() + 1, job.Frames.Count);
        Assert.Equal(labelled.Min(), job.Frames[0]);
    }

    [Fact]
    public void An_existing_file_is_replaced_only_when_allowed()
    {
        var labels = LabelsReader.Read(MinimalInstance);
        string path = _dir.File("out.png");
        File.WriteAllText(path, "keep me");
        using var job = RenderJob.Prepare(labels, labels.Videos[0], path, FrameList.Parse("0"));
        var ex = Assert.Throws<SleapException>(() => job.Run());
        Assert.Equal(SleapErrorKind.WriteError, ex.Kind);
        Assert.Equal($"Cannot write '{path}': the file already exists. Use -Force to replace it.", ex.Message);
        Assert.Equal("keep me", File.ReadAllText(path));
        job.Run(overwrite: true);
        Assert.Equal(["out.png"], _dir.Entries);
        Assert.NotEqual("keep me", File.ReadAllText(path));
    }

    [Fact]
    public void A_missing_output_folder_is_refused_naming_it()
    {
        var labels = LabelsReader.Read(MinimalInstance);
        string path = Path.Combine(_dir.FullName, "missing", "out.mp4");
        using var job = RenderJob.Prepare(labels, labels.Videos[0], path, FrameList.Parse("0"));
        var ex = Assert.Throws<SleapException>(() => job.Run());
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal($"Cannot write '{path}': the folder '{Path.Combine(_dir.FullName, "missing")}' does not exist. Create it first, or choose another output path.", ex.Message);
    }

    [Theory]
    [InlineData("out.mp4")]
    [InlineData("out.png")]
    public void Progress_is_reported_per_frame_and_cancelling_leaves_no_file(string name)
    {
        var labels = LabelsReader.Read(Clip);
        string path = _dir.File(name);
        var seen = new List<RenderProgress>();
        using (var job = RenderJob.Prepare(labels, labels.Videos[0], path, FrameList.Parse("10-13")))
            job.Run(progress: seen.Add);
        Assert.Equal([new(1, 4, 10), new(2, 4, 11), new(3, 4, 12), new(4, 4, 13)], seen);
        foreach (string file in Directory.GetFiles(_dir.FullName)) File.Delete(file);

        using var cancel = new CancellationTokenSource();
        int reports = 0;
        using (var job = RenderJob.Prepare(labels, labels.Videos[0], path, FrameList.Parse("0-99")))
            Assert.ThrowsAny<OperationCanceledException>(() => job.Run(progress: p => { reports++; if (p.FramesDone == 3) cancel.Cancel(); }, cancellationToken: cancel.Token));
        Assert.Equal(3, reports);
        Assert.Empty(_dir.Entries);
    }
}
