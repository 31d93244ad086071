using OpenCvSharp;
using SleapPS.Engine.IO;
using SleapPS.Engine.Rendering;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Rendering.RenderedFrames;
using SleapPS.Engine.Frames;

namespace SleapPS.Tests.Rendering;

/// <summary>Codecs, scaling, text and frame selections, checked on what was written.</summary>
public sealed class RenderOptionsTests : IDisposable
{
    private static readonly string Clip = Paths.Fixture("tracks", "clip.slp");
    private static readonly string MinimalInstance = Paths.Fixture("slp_hdf5", "minimal_instance.slp");
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> EveryCodec()
    {
        var data = new TheoryData<string, string>();
        foreach (string extension in VideoCodecs.Extensions)
            foreach (string codec in VideoCodecs.For(extension))
                data.Add(extension, codec);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCodec))]
    public void Every_listed_codec_writes_a_video_that_decodes_back(string extension, string codec)
    {
        var labels = LabelsReader.Read(MinimalInstance);
        string path = _dir.File("out" + extension);
        using (var job = RenderJob.Prepare(labels, labels.Videos[0], path, FrameList.Parse("0-2"), new RenderOptions { Codec = codec.ToLowerInvariant(), Scale = 0.5 }))
        {
            Assert.Equal(codec, job.Codec);
            job.Run();
        }
        var (frames, fps, reported) = DecodeVideo(path);
        Assert.Equal(3, frames.Count);
        Assert.Equal(3, reported);
        Assert.Equal(15.0, fps, 3);
        Assert.All(frames, f => Assert.Equal((192, 192), (f.Cols, f.Rows)));
        Assert.Equal(["out" + extension], _dir.Entries);
    }

    [Fact]
    public void Each_container_has_a_default_codec_and_the_fps_can_be_set()
    {
        var labels = LabelsReader.Read(MinimalInstance);
        using var mp4 = RenderJob.Prepare(labels, labels.Videos[0], _dir.File("a.mp4"), FrameList.Parse("0"));
        using var avi = RenderJob.Prepare(labels, labels.Videos[0], _dir.File("a.avi"), FrameList.Parse("0"), new RenderOptions { Fps = 7.5 });
        using var png = RenderJob.Prepare(labels, labels.Videos[0], _dir.File("a.png"), FrameList.Parse("0"));
        Assert.Equal(("mp4v", 15.0), (mp4.Codec, mp4.Fps));
        Assert.Equal(("MJPG", 7.5), (avi.Codec, avi.Fps));
        Assert.Equal((null, null), (png.Codec, png.Fps));
        avi.Run();
        Assert.Equal(7.5, DecodeVideo(_dir.File("a.avi")).Fps, 3);
    }

    [Fact]
    public void Scale_resizes_the_frames_and_draws_at_the_scaled_positions()
    {
        var labels = LabelsReader.Read(Clip);
        var video = labels.Videos[0];
        string path = _dir.File("half.png");
        var options = new RenderOptions { Scale = 0.5, MarkerSize = 3 };
        using (var job = RenderJob.Prepare(labels, video, path, FrameList.Parse("0"), options))
            job.Run();
        using var image = DecodePng(path);
        Assert.Equal((512, 512), (image.Cols, image.Rows));
        using var full = SourceFrame(video, 0);
        using var source = new Mat();
        Cv2.Resize(full, source, new OpenCvSharp.Size(512, 512), 0, 0, InterpolationFlags.Area);
        var worst = PixelChecks.Check(image, source, labels.Find(video, 0)!, (instance, _) => RenderPalette.Colors[labels.Tracks.IndexOf(instance.Track!)], options, 0, scale: 0.5);
        Assert.True(worst.PointsChecked >= 10);
    }

    [Fact]
    public void Videos_drop_an_odd_last_row_and_column_which_images_keep()
    {
        var labels = LabelsReader.Read(MinimalInstance);
        var options = new RenderOptions { Scale = 0.3 };  // 384 * 0.3 = 115.2 -> 115
        using var png = RenderJob.Prepare(labels, labels.Videos[0], _dir.File("odd.png"), FrameList.Parse("0"), options);
        using var avi = RenderJob.Prepare(labels, labels.Videos[0], _dir.File("odd.avi"), FrameList.Parse("0"), options);
        Assert.Equal((115, 115), (png.Width, png.Height));
        Assert.Equal((114, 114), (avi.Width, avi.Height));
        png.Run();
        avi.Run();
        using var image = DecodePng(_dir.File("odd.png"));
        Assert.Equal((115, 115), (image.Cols, image.Rows));
        var frame = Assert.Single(DecodeVideo(_dir.File("odd.avi")).Frames);
        Assert.Equal((114, 114), (frame.Cols, frame.Rows));
    }

    [Fact]
    public void Scores_are_written_beside_predicted_points_and_nowhere_else()
    {
        var labels = LabelsReader.Read(Predictions);
        var video = labels.Videos[0];
        var plain = Render(labels, video, "plain.png", new RenderOptions());
        var withScores = Render(labels, video, "scores.png", new RenderOptions { ShowScores = true });
        var frame = labels.Find(video, 0)!;
        var boxes = frame.Instances.SelectMany(i => i.Points.Where(p => p.IsPresent).Select(p => TextBox(p.X, p.Y, p.Score.ToString("0.00"), 4))).ToList();
        AssertChangesOnlyInside(plain, withScores, boxes);
    }

    [Fact]
    public void Node_names_are_written_beside_points_and_user_points_have_no_scores()
    {
        var labels = LabelsReader.Read(Clip);
        var video = labels.Videos[0];
        var plain = Render(labels, video, "plain.png", new RenderOptions());
        var withScores = Render(labels, video, "scores.png", new RenderOptions { ShowScores = true });
        Assert.Equal(0, Cv2.Norm(plain, withScores, NormTypes.INF));  // user points have no score

        var withNames = Render(labels, video, "names.png", new RenderOptions { ShowNodeNames = true, ShowScores = true });
        var frame = labels.Find(video, 0)!;
        var boxes = frame.Instances.SelectMany(i => i.Points.Select((p, n) => (p, n)).Where(x => x.p.IsPresent)
            .Select(x => TextBox(x.p.X, x.p.Y, i.Skeleton.Nodes[x.n].Name, 4))).ToList();
        AssertChangesOnlyInside(plain, withNames, boxes);
    }

    private Mat Render(SleapPS.Engine.Data.Labels labels, SleapPS.Engine.Data.Video video, string name, RenderOptions options)
    {
        using (var job = RenderJob.Prepare(labels, video, _dir.File(name), FrameList.Parse("0"), options))
            job.Run();
        return DecodePng(_dir.File(name));
    }

    /// <summary>Where the text of a point goes: above and right of its marker, with room for the dark outline.</summary>
    private static Rect TextBox(double x, double y, string text, double markerSize)
    {
        var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, 0.4, 3, out int baseline);
        int offset = (int)Math.Ceiling(markerSize) + 2;
        int left = (int)Math.Round(x) + offset, bottom = (int)Math.Round(y) - offset;
        return new Rect(left - 3, bottom - size.Height - 3, size.Width + 6, size.Height + baseline + 6);
    }

    private static void AssertChangesOnlyInside(Mat before, Mat after, List<Rect> boxes)
    {
        using var difference = new Mat();
        Cv2.Absdiff(before, after, difference);
        int changed = 0;
        int rows = difference.Rows, cols = difference.Cols;
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
            {
                var d = difference.At<Vec3b>(y, x);
                if (d.Item0 == 0 && d.Item1 == 0 && d.Item2 == 0) continue;
                changed++;
                Assert.True(boxes.Any(b => b.Contains(x, y)), $"the pixel ({x}, {y}) changed outside every text box");
            }
        Assert.True(changed > boxes.Count * 5, $"only {changed} pixels changed for {boxes.Count} labels");
    }
}
