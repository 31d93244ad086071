using OpenCvSharp;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.Rendering;
using SleapPS.Tests.Support;
using Xunit.Abstractions;
using static SleapPS.Tests.Rendering.RenderedFrames;
using SleapPS.Engine.Frames;

namespace SleapPS.Tests.Rendering;

/// <summary>Renders SLEAP's fixtures, decodes what was written and checks the pixels.</summary>
public sealed class RenderJobTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string Clip = Paths.Fixture("tracks", "clip.slp");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Func<Instance, int, RgbColor> TrackColors(Labels labels) =>
        (instance, _) => RenderPalette.Colors[labels.Tracks.IndexOf(instance.Track!)];

    /// <summary>
    /// Lossy codecs may move a colour by this much per channel. Measured on clip frames 0-4: at most 23
    /// (MJPG) and 18 (mp4v) at points, edge midpoints and far pixels. It is under half the smallest
    /// distance between two palette colours (67), so a pixel within it cannot be another track's colour.
    /// PNG and FFV1 are lossless: exact.
    /// </summary>
    private const int LossyTolerance = 32;

    private static readonly string MinimalInstance = Paths.Fixture("slp_hdf5", "minimal_instance.slp");
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");

    [Theory]
    [InlineData("clip.avi", "MJPG", LossyTolerance)]
    [InlineData("clip.mp4", "mp4v", LossyTolerance)]
    [InlineData("clip.avi", "FFV1", 0)]
    public void Clip_frames_0_to_4_are_drawn_in_their_track_colours(string name, string codec, int tolerance)
    {
        var labels = LabelsReader.Read(Clip);
        var video = labels.Videos[0];
        string path = _dir.File(name);
        var options = new RenderOptions { Codec = codec };
        using (var job = RenderJob.Prepare(labels, video, path, FrameList.Parse("0-4"), options))
            job.Run();

        var (frames, fps, reported) = DecodeVideo(path);
        Assert.Equal(5, frames.Count);
        Assert.Equal(25.0, fps, 3);
        foreach (var (frame, i) in frames.Select((f, i) => (f, i)))
        {
            Assert.Equal((1024, 1024), (frame.Cols, frame.Rows));
            using var source = SourceFrame(video, i);
            var worst = PixelChecks.Check(frame, source, labels.Find(video, i)!, TrackColors(labels), options, tolerance);
            output.WriteLine($"{name} {codec} frame {i}: {worst}");
        }
    }

    [Fact]
    public void Clip_frames_0_to_4_to_png_give_one_exact_image_per_frame()
    {
        var labels = LabelsReader.Read(Clip);
        var video = labels.Videos[0];
        var options = new RenderOptions();
        using (var job = RenderJob.Prepare(labels, video, _dir.File("clip.png"), FrameList.Parse("0-4"), options))
        {
            Assert.Equal(Enumerable.Range(0, 5).Select(i => _dir.File($"clip.000{i}.png")), job.OutputPaths);
            job.Run();
        }
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"clip.000{i}.png"), _dir.Entries.Order());
        for (int i = 0; i < 5; i++)
        {
            using var image = DecodePng(_dir.File($"clip.000{i}.png"));
            using var source = SourceFrame(video, i);
            Assert.Equal((1024, 1024), (image.Cols, image.Rows));
            PixelChecks.Check(image, source, labels.Find(video, i)!, TrackColors(labels), options, 0);
        }
    }

    [Fact]
    public void Tracks_keep_their_colour_whatever_their_place_in_the_frame()
    {
        var labels = LabelsReader.Read(Clip);
        var frame = labels.Find(labels.Videos[0], 0)!;
        // On frame 0 the first instance is the second track: it is drawn in the second colour.
        Assert.Same(labels.Tracks[1], frame.Instances[0].Track);
        string path = _dir.File("frame0.png");
        using (var job = RenderJob.Prepare(labels, labels.Videos[0], path, FrameList.Parse("0")))
            job.Run();
        using var image = DecodePng(path);
        var point = frame.Instances[0].Points.First(p => p.IsPresent);
        Assert.Equal(RenderPalette.Colors[1], At(image, (int)Math.Round(point.X), (int)Math.Round(point.Y)));
    }

    [Fact]
    public void Untracked_user_instances_get_the_colour_of_their_place_and_a_white_rim()
    {
        var labels = LabelsReader.Read(MinimalInstance);
        var video = labels.Videos[0];
        string path = _dir.File("minimal.png");
        var options = new RenderOptions();
        using (var job = RenderJob.Prepare(labels, video, path, FrameList.Parse("0"), options))
        {
            Assert.Equal([path], job.OutputPaths);
            job.Run();
        }
        Assert.Equal(["minimal.png"], _dir.Entries);
        using var image = DecodePng(path);
        using var source = SourceFrame(video, 0);
        var frame = labels.Find(video, 0)!;
        Assert.All(frame.Instances, i => Assert.Null(i.Track));
        var worst = PixelChecks.Check(image, source, frame, (_, position) => RenderPalette.Colors[position], options, 0);
        Assert.Equal(4, worst.PointsChecked);
        Assert.Equal(2, worst.EdgesChecked);
    }

    [Fact]
    public void User_points_have_a_white_rim()
    {
        var labels = LabelsReader.Read(Clip);
        var video = labels.Videos[0];
        string path = _dir.File("rim.png");
        var options = new RenderOptions();
        using (var job = RenderJob.Prepare(labels, video, path, FrameList.Parse("0"), options))
            job.Run();
        using var image = DecodePng(path);
        using var source = SourceFrame(video, 0);
        var frame = labels.Find(video, 0)!;
        int checkedRims = 0;
        foreach (var (_, _, x, y) in Points(frame))
        {
            // Halfway into the rim the pixel is white but for the anti-aliased edge of the coloured disc.
            var (rx, ry) = PixelAtDistance(x, y, options.MarkerSize + InstancePainter.RimWidth / 2, options.MarkerSize, frame);
            if (Difference(At(source, rx, ry), RenderPalette.UserOutline) < 64) continue;  // the video is white there anyway
            var rim = At(image, rx, ry);
            Assert.True(Math.Min(rim.R, Math.Min(rim.G, rim.B)) >= 224, $"the rim of ({x:0.0}, {y:0.0}) is {rim}, not white");
            checkedRims++;
        }
        Assert.True(checkedRims >= 10, $"only {checkedRims} rims lie on dark parts of the video");
    }

    [Fact]
    public void Frames_without_labels_pass_through_unchanged()
    {
        var labels = LabelsReader.Read(MinimalInstance);
        var video = labels.Videos[0];
        string path = _dir.File("minimal.avi");
        using (var job = RenderJob.Prepare(labels, video, path, FrameList.Parse("0-2"), new RenderOptions { Codec = "FFV1" }))
            job.Run();
        var (frames, fps, _) = DecodeVideo(path);
        Assert.Equal(3, frames.Count);
        Assert.Equal(15.0, fps, 3);
        Assert.Null(labels.Find(video, 1));
        Assert.Null(labels.Find(video, 2));
        using var source0 = SourceFrame(video, 0);
        Assert.NotEqual(0, Cv2.Norm(frames[0], source0, NormTypes.INF));
        for (int i = 1; i < 3; i++)
        {
            using var source = SourceFrame(video, i);
            Assert.Equal(0, Cv2.Norm(frames[i], source, NormTypes.INF));
        }
    }

    [Fact]
    public void Predicted_instances_are_drawn_in_track_colours_without_a_rim()
    {
        var labels = LabelsReader.Read(Predictions);
        var video = labels.Videos[0];
        string path = _dir.File("predictions.avi");
        var options = new RenderOptions { Codec = "FFV1", MarkerSize = 2 };
        using (var job = RenderJob.Prepare(labels, video, path, FrameList.Of([0]), options))
            job.Run();
        var (frames, _, _) = DecodeVideo(path);
        Assert.Single(frames);

        var frame = labels.Find(video, 0)!;
        Assert.All(frame.Instances, i => Assert.True(i.IsPredicted));
        using var source = SourceFrame(video, 0);
        PixelChecks.Check(frames[0], source, frame, (instance, _) => RenderPalette.Colors[labels.Tracks.IndexOf(instance.Track!) % RenderPalette.Colors.Count], options, 0);
        var edges = Edges(frame);
        int rimsChecked = 0;
        foreach (var (_, _, x, y) in Points(frame))
        {
            // Where a user point's rim would end, a predicted point leaves the video as it was.
            var (rx, ry) = PixelAtDistance(x, y, options.MarkerSize + InstancePainter.RimWidth, options.MarkerSize, frame);
            if (edges.Any(e => DistanceToSegment(rx, ry, e.X1, e.Y1, e.X2, e.Y2) < options.LineWidth / 2.0 + 1.5)) continue;
            Assert.Equal(At(source, rx, ry), At(frames[0], rx, ry));
            rimsChecked++;
        }
        Assert.True(rimsChecked > 5, $"only {rimsChecked} rims checked");
    }

    /// <summary>
    /// A pixel whose centre lies <paramref name="distance"/> from the point (x, y), away from every
    /// other point's disc and rim.
    /// </summary>
    private static (int X, int Y) PixelAtDistance(double x, double y, double distance, double radius, LabeledFrame frame)
    {
        var others = Points(frame).Where(p => Math.Abs(p.X - x) + Math.Abs(p.Y - y) > 1e-9).ToList();
        var candidates = new List<(int X, int Y, double Error)>();
        for (int dy = -(int)radius - 3; dy <= radius + 3; dy++)
            for (int dx = -(int)radius - 3; dx <= radius + 3; dx++)
            {
                int px = (int)Math.Round(x) + dx, py = (int)Math.Round(y) + dy;
                double away = Math.Sqrt(Math.Pow(px - x, 2) + Math.Pow(py - y, 2));
                if (others.Any(o => Math.Sqrt(Math.Pow(px - o.X, 2) + Math.Pow(py - o.Y, 2)) < radius + InstancePainter.RimWidth + 1.5)) continue;
                candidates.Add((px, py, Math.Abs(away - distance)));
            }
        var best = candidates.MinBy(c => c.Error);
        Assert.True(best.Error < 0.3, $"no pixel lies {distance} from the point ({x:0.0}, {y:0.0})");
        return (best.X, best.Y);
    }
}
