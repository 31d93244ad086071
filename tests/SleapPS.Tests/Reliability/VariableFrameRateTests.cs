using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Tests.Inference.Pipeline;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// Variable-frame-rate videos (docs/design/reliability.md §5): a frame's number is its place in a front-to-back decode,
/// whatever its timestamp, and every way of reading it (in order, after a seek, in a prediction run) gives that frame.
/// The videos are made at test time by the ffmpeg command-line tool (only to write them; OpenCV decodes them, as in
/// SleapPS): H.264 in mp4, each frame one flat grey level naming its number, as in <see cref="BadVideoTests"/>, with
/// uneven timestamps.
/// </summary>
public sealed class VariableFrameRateTests : IDisposable
{
    private const int FrameCount = 40;

    /// <summary>
    /// Frame times in seconds, an ffmpeg expression of the frame number N: 10 frames/s, then a burst of 10 frames 20 ms
    /// apart, then a 1.1 s gap after frame 25 (frames dropped by a camera). FFmpeg guesses 50 frames/s from the burst.
    /// </summary>
    private const string BurstAndGap = "0.1*min(N,10)+0.02*(min(max(N,10),20)-10)+0.1*max(N-20,0)+1.0*gte(N,26)";

    /// <summary>
    /// As <see cref="BurstAndGap"/> with the burst 4 ms apart: FFmpeg then takes the average rate (about 10 frames/s)
    /// as the frame rate, and OpenCV's seek, which turns a frame number into a time at that rate, lands on other frames.
    /// </summary>
    private const string FastBurstAndGap = "0.1*min(N,10)+0.004*(min(max(N,10),20)-10)+0.1*max(N-20,0)+1.0*gte(N,26)";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Timings => [BurstAndGap, FastBurstAndGap];

    [Theory]
    [MemberData(nameof(Timings))]
    public void The_generated_video_really_has_a_variable_frame_rate(string times)
    {
        string path = WriteVariableRateMp4(times);

        var durations = FrameTimes(path).Zip(FrameTimes(path).Skip(1), (a, b) => Math.Round(b - a, 3)).Distinct().Order().ToList();

        Assert.Equal(times == BurstAndGap ? [0.02, 0.1, 1.1] : [0.004, 0.1, 1.1], durations);
        Assert.Equal(FrameCount, FrameTimes(path).Count);
        // The count Get-SleapVideo shows is the number of frames a front-to-back decode gives.
        int decoded = 0;
        using (var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG))
        using (var image = new Mat())
            while (capture.Read(image) && !image.Empty()) decoded++;
        Assert.Equal(FrameCount, decoded);
        Assert.Equal(FrameCount, FrameSources.DescribeFile(path).FrameCount);
    }

    [Theory]
    [MemberData(nameof(Timings))]
    public void Every_frame_is_predicted_under_its_own_number_and_the_count_is_the_decoded_frames(string times)
    {
        string path = WriteVariableRateMp4(times);
        var video = FrameSources.DescribeFile(path);
        var pipeline = new PredictionPipeline(new BrightestPixelPredictor(PredictionPipelineTests.TwoNodes), new PredictionPipelineOptions { BatchSize = 4 });

        var predictions = pipeline.Run([PredictionTargets.Video(video)]).ToList();

        Assert.Equal(FrameCount, video.FrameCount);
        Assert.Equal(Enumerable.Range(0, FrameCount).Select(i => (long)i), predictions.Select(p => p.FrameIndex));
        Assert.All(predictions, p => Assert.Equal(p.FrameIndex, FrameOfGrey(p)));
        Assert.Empty(pipeline.Statistics.UnreadFrames);
    }

    /// <summary>Frames asked for out of order (each a seek) in a prediction run are predicted from those frames.</summary>
    [Theory]
    [MemberData(nameof(Timings))]
    public void Frames_asked_for_out_of_order_are_predicted_from_those_frames(string times)
    {
        string path = WriteVariableRateMp4(times);
        var video = FrameSources.DescribeFile(path);
        long[] frames = [33, 5, 38, 27, 12, 30, 0, 39, 21, 26, 25, 17];
        var pipeline = new PredictionPipeline(new BrightestPixelPredictor(PredictionPipelineTests.TwoNodes), new PredictionPipelineOptions { BatchSize = 1 });

        var predictions = pipeline.Run([PredictionTargets.Video(video, frames)]).ToList();

        Assert.Equal(frames.Order(), predictions.Select(p => p.FrameIndex).Order());
        Assert.All(predictions, p => Assert.Equal(p.FrameIndex, FrameOfGrey(p)));
        Assert.Empty(pipeline.Statistics.UnreadFrames);
    }

    [Theory]
    [MemberData(nameof(Timings))]
    public void Seeking_lands_on_the_frame_a_sequential_decode_numbers_so(string times)
    {
        string path = WriteVariableRateMp4(times);
        using var sequential = new MediaFrameSource(path);
        var frames = Enumerable.Range(0, FrameCount).Select(i => sequential.ReadFrame(i)).ToList();
        Assert.All(Enumerable.Range(0, FrameCount), i => Assert.Equal(i, FrameOfGrey(frames[i])));

        foreach (int step in new[] { 7, 13, 29 })
        {
            using var seeking = new MediaFrameSource(path);
            foreach (int i in Enumerable.Range(0, FrameCount).Select(i => (i * step) % FrameCount))
                Assert.True(frames[i].AsSpan().SequenceEqual(seeking.ReadFrame(i)), $"frame {i} read after a seek (step {step}) differs from the sequential decode's frame {i}");
        }
    }

    /// <summary>
    /// The second video is one that needs more than OpenCV's seek: CAP_PROP_POS_FRAMES, which turns a frame number into
    /// a time at the average rate, lands on another frame (or none) for some frames. Without this the seek tests above
    /// would prove nothing about such a file.
    /// </summary>
    [Fact]
    public void OpenCVs_own_seek_lands_on_other_frames_in_the_fast_burst_video()
    {
        string path = WriteVariableRateMp4(FastBurstAndGap);
        var missed = new List<string>();
        using var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        using var image = new Mat();
        for (int i = FrameCount - 1; i >= 0; i--)
        {
            capture.Set(VideoCaptureProperties.PosFrames, i);
            if (!capture.Read(image) || image.Empty()) missed.Add($"{i}: nothing");
            else if (FrameOfGrey(image.At<Vec3b>(0, 0).Item0) != i) missed.Add($"{i}: frame {FrameOfGrey(image.At<Vec3b>(0, 0).Item0)}");
        }

        Assert.NotEmpty(missed);
    }

    /// <summary>
    /// A Matroska copy of an evenly spaced fixture (the same H.264 stream, remuxed): its container proves nothing, so it
    /// takes the checked seek, and frames read from it in a scattered order equal the mp4's frames read in order.
    /// </summary>
    [Fact]
    public void A_container_that_proves_nothing_takes_the_checked_seek_and_gives_the_same_frames()
    {
        string mp4 = Paths.Fixture("videos", "centered_pair_small.mp4");
        string mkv = _dir.File("centered_pair_small.mkv");
        Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", mp4, "-c", "copy", mkv);
        Assert.False(FrameTiming.IsEvenlySpaced(mkv));
        const int count = 200;
        using var sequential = new MediaFrameSource(mp4);
        var frames = Enumerable.Range(0, count).Select(i => sequential.ReadFrame(i)).ToList();

        using var seeking = new MediaFrameSource(mkv);
        Assert.Equal(sequential.FrameCount, seeking.FrameCount);
        foreach (int i in Enumerable.Range(0, count).Select(i => (i * 7919) % count))
            Assert.True(frames[i].AsSpan().SequenceEqual(seeking.ReadFrame(i)), $"frame {i} of the mkv read after a seek differs from the mp4's frame {i}");
    }

    /// <summary>
    /// OpenCV's own seek is used only for files whose container proves the frames evenly spaced: AVI, and mp4 whose
    /// sample table gives every frame one duration. Anything else, damaged files too, takes the checked seek.
    /// </summary>
    [Fact]
    public void The_container_tells_evenly_spaced_frames_from_uneven_ones()
    {
        string[] even = ["videos/centered_pair_small.mp4", "videos/small_robot.mp4", "videos/small_robot_3_frame.mp4", "tracks/clip.mp4"];
        Assert.All(even, video => Assert.True(FrameTiming.IsEvenlySpaced(Paths.Fixture(video.Split('/'))), video));
        Assert.True(FrameTiming.IsEvenlySpaced(BadVideoTests.WriteNumberedAvi(_dir.File("numbered.avi"))));

        Assert.False(FrameTiming.IsEvenlySpaced(WriteVariableRateMp4(BurstAndGap)));
        Assert.False(FrameTiming.IsEvenlySpaced(WriteVariableRateMp4(FastBurstAndGap)));
        Assert.False(FrameTiming.IsEvenlySpaced(Paths.Fixture("slp_hdf5", "minimal_instance.slp")));
        string cut = _dir.File("cut.mp4");
        File.WriteAllBytes(cut, File.ReadAllBytes(Paths.Fixture("videos", "centered_pair_small.mp4"))[..4000]);
        Assert.False(FrameTiming.IsEvenlySpaced(cut));
    }

    /// <summary>An H.264 mp4 of <see cref="FrameCount"/> grey frames (20 + 5 x the frame number) at the times <paramref name="times"/> gives, a keyframe every 8 frames.</summary>
    private string WriteVariableRateMp4(string times)
    {
        string path = _dir.File($"vfr-{Math.Abs(times.GetHashCode()):x}.mp4");
        if (File.Exists(path)) return path;
        string source = $"color=c=black:s=64x48:r=10:d={FrameCount / 10},format=rgb24," +
                        "geq=r='20+5*N':g='20+5*N':b='20+5*N',settb=1/1000," +
                        $"setpts='({times})/TB'";
        Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
            "-c:v", "libx264", "-g", "8", "-pix_fmt", "yuv420p", "-fps_mode", "vfr", path);
        return path;
    }

    /// <summary>The presentation times of the frames, in seconds, as ffprobe reads them.</summary>
    private static List<double> FrameTimes(string path) =>
        Run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "frame=pts_time", "-of", "csv=p=0", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => double.Parse(line.TrimEnd(','), CultureInfo.InvariantCulture)).ToList();

    /// <summary>Runs an FFmpeg tool; these tests cannot make their videos without it.</summary>
    private static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"'{tool}' is not installed: the variable-frame-rate tests make their videos with it. Install FFmpeg's tools " +
                        "(Debian: apt-get install ffmpeg; .ci/run does).");
            throw;
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {error.Result}");
            return output;
        }
    }

    private static long FrameOfGrey(Engine.Inference.FramePrediction prediction) =>
        (long)Math.Round((prediction.Instances[0].Score * 255 - 20) / 5);

    private static long FrameOfGrey(byte[] frame) => FrameOfGrey(frame[frame.Length / 2]);

    private static long FrameOfGrey(byte level) => (long)Math.Round((level - 20) / 5.0);
}
