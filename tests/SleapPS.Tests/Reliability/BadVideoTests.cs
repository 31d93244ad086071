using System.Text;
using OpenCvSharp;
using SleapPS.Engine;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Tests.Inference.Pipeline;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// Videos that are not what their headers say (docs/design/reliability.md §5): prediction goes on where it can, the
/// frames it could not read are reported by number, and no prediction lands on another frame's number. Each frame of
/// the generated video is one flat grey level (20 + 5 x its number), which survives JPEG, so every prediction of
/// <see cref="BrightestPixelPredictor"/> says which frame it was really made from.
/// </summary>
public class BadVideoTests
{
    private const int FrameCount = 40;

    [Fact]
    public void A_video_that_ends_early_is_predicted_up_to_its_end_and_the_rest_reported()
    {
        using var dir = new TempDir();
        string path = WriteNumberedAvi(dir.File("short.avi"));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 6 / 10)]);
        var video = FrameSources.DescribeFile(path);
        var pipeline = new PredictionPipeline(new BrightestPixelPredictor(PredictionPipelineTests.TwoNodes), new PredictionPipelineOptions { BatchSize = 4 });

        var predictions = pipeline.Run([PredictionTargets.Video(video)]).ToList();

        Assert.Equal(FrameCount, video.FrameCount);
        Assert.InRange(predictions.Count, 10, FrameCount - 1);
        Assert.Equal(Enumerable.Range(0, predictions.Count).Select(i => (long)i), predictions.Select(p => p.FrameIndex));
        Assert.All(predictions, p => Assert.Equal(p.FrameIndex, FrameOfGrey(p)));
        var unread = Assert.Single(pipeline.Statistics.UnreadFrames);
        Assert.Equal((predictions.Count, FrameCount - 1L), (unread.FirstFrame, unread.LastFrame));
        Assert.Equal(SleapErrorKind.ReadError, unread.Error.Kind);
        Assert.Contains($"Frame {predictions.Count} of the video '{path}' cannot be decoded", unread.Error.Message);
    }

    [Fact]
    public void A_corrupted_frame_in_the_middle_is_reported_and_the_frames_after_keep_their_numbers()
    {
        using var dir = new TempDir();
        string path = WriteNumberedAvi(dir.File("damaged.avi"));
        ZeroFramePayload(path, 20);
        var video = FrameSources.DescribeFile(path);
        var pipeline = new PredictionPipeline(new BrightestPixelPredictor(PredictionPipelineTests.TwoNodes), new PredictionPipelineOptions { BatchSize = 4 });

        var predictions = pipeline.Run([PredictionTargets.Video(video)]).ToList();

        Assert.Equal(Enumerable.Range(0, FrameCount).Where(i => i != 20).Select(i => (long)i), predictions.Select(p => p.FrameIndex));
        Assert.All(predictions, p => Assert.Equal(p.FrameIndex, FrameOfGrey(p)));
        var unread = Assert.Single(pipeline.Statistics.UnreadFrames);
        Assert.Equal((20L, 20L), (unread.FirstFrame, unread.LastFrame));
    }

    /// <summary>Frames read in a scattered order (each a seek) are the frames a front-to-back decode gives under the same numbers.</summary>
    [Theory]
    [InlineData("generated")]
    [InlineData("tracks/clip.mp4")]
    [InlineData("videos/centered_pair_small.mp4")]
    public void Seeking_lands_on_the_frame_a_sequential_decode_numbers_so(string video)
    {
        using var dir = new TempDir();
        string path = video == "generated" ? WriteNumberedAvi(dir.File("numbered.avi")) : Paths.Fixture(video.Split('/'));
        using var sequential = new MediaFrameSource(path);
        int count = (int)Math.Min(sequential.FrameCount, 120);
        var frames = Enumerable.Range(0, count).Select(i => sequential.ReadFrame(i)).ToList();
        var order = Enumerable.Range(0, count).OrderBy(i => (i * 7919) % count).ToList();

        using var seeking = new MediaFrameSource(path);
        foreach (int i in order)
            Assert.True(frames[i].AsSpan().SequenceEqual(seeking.ReadFrame(i)), $"frame {i} read after a seek differs from the sequential decode's frame {i}");
    }

    /// <summary>The frame a prediction was made from, by its grey level.</summary>
    private static long FrameOfGrey(Engine.Inference.FramePrediction prediction) =>
        (long)Math.Round((prediction.Instances[0].Score * 255 - 20) / 5);

    /// <summary>An MJPG AVI of <see cref="FrameCount"/> flat grey frames (OpenCV writes AVI without FFmpeg).</summary>
    internal static string WriteNumberedAvi(string path)
    {
        using (var writer = new VideoWriter(path, FourCC.MJPG, 10, new Size(64, 48)))
        {
            using var frame = new Mat(48, 64, MatType.CV_8UC3);
            for (int i = 0; i < FrameCount; i++)
            {
                frame.SetTo(Scalar.All(20 + 5 * i));
                writer.Write(frame);
            }
        }
        return path;
    }

    /// <summary>Zeroes the JPEG data of frame <paramref name="frame"/> ('00dc' chunk number <paramref name="frame"/>), keeping its size.</summary>
    internal static void ZeroFramePayload(string path, int frame)
    {
        byte[] bytes = File.ReadAllBytes(path);
        byte[] tag = Encoding.ASCII.GetBytes("00dc");
        int found = -1, at = 0;
        for (int seen = -1; seen < frame; seen++)
        {
            found = bytes.AsSpan(at).IndexOf(tag) + at;
            // Skip the '00dc' in the index and headers: a frame chunk's size is followed by JPEG's start marker.
            while (!(bytes[found + 8] == 0xFF && bytes[found + 9] == 0xD8))
                found = bytes.AsSpan(found + 4).IndexOf(tag) + found + 4;
            at = found + 4;
        }
        int size = BitConverter.ToInt32(bytes, found + 4);
        Array.Clear(bytes, found + 8, size);
        File.WriteAllBytes(path, bytes);
    }
}
