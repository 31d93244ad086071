using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.Pipeline;

/// <summary>The streaming pipeline on SLEAP's fixture videos, with a pixel-based stand-in for the predictor stage.</summary>
public class PredictionPipelineTests
{
    internal static readonly Skeleton TwoNodes = Skeleton.FromNames("test", ["A", "B"], [("A", "B")]);

    internal static string CenteredPair => Paths.Fixture("videos", "centered_pair_small.mp4");
    private static string Robot3 => Paths.Fixture("videos", "small_robot_3_frame.mp4");

    [Fact]
    public void Predictions_come_in_frame_order_across_batches_videos_and_size_changes()
    {
        var pair = FrameSources.DescribeFile(CenteredPair);
        var robot = FrameSources.DescribeFile(Robot3);
        var predictor = new BrightestPixelPredictor(TwoNodes);
        var pipeline = new PredictionPipeline(predictor, new PredictionPipelineOptions { BatchSize = 4 });
        var targets = new[]
        {
            PredictionTargets.Video(pair, FrameList.Parse("10-15,3").Expand()),
            PredictionTargets.Video(robot),                                     // 320x560x3 after 384x384x1: a new batch
            PredictionTargets.Video(pair, FrameList.Parse("1099,0").Expand()),
        };

        var predictions = pipeline.Run(targets).ToList();

        var expected = new (Video, long)[]
        {
            (pair, 10), (pair, 11), (pair, 12), (pair, 13), (pair, 14), (pair, 15), (pair, 3),
            (robot, 0), (robot, 1), (robot, 2), (pair, 1099), (pair, 0),
        };
        Assert.Equal(expected, predictions.Select(p => (p.Video, p.FrameIndex)));
        // Batches end at the batch size and where the size changes; the robot's 3 frames and then the pair's 2 frames.
        Assert.Equal([4, 3, 3, 2], predictor.BatchSizes);
        using var pairSource = FrameSources.Open(pair);
        using var robotSource = FrameSources.Open(robot);
        foreach (var prediction in predictions)
        {
            var source = prediction.Video == pair ? pairSource : robotSource;
            var (x, y, score) = BrightestPixelPredictor.Brightest(source.ReadFrame(prediction.FrameIndex), source.Height, source.Width, source.Channels);
            var instance = Assert.Single(prediction.Instances);
            Assert.Equal((x, y, score), (instance.Points[0].X, instance.Points[0].Y, instance.Score));
        }
        Assert.Equal(12, pipeline.Statistics.Frames);
        Assert.Equal(4, pipeline.Statistics.Batches);
    }

    [Fact]
    public void All_frames_of_a_video_stream_with_progress()
    {
        var video = FrameSources.DescribeFile(Robot3);
        var progress = new List<PredictionProgress>();
        var pipeline = new PredictionPipeline(new BrightestPixelPredictor(TwoNodes), new PredictionPipelineOptions { BatchSize = 2, Progress = progress.Add });

        var frames = pipeline.Run([PredictionTargets.Video(video)]).Select(p => p.FrameIndex).ToList();

        Assert.Equal([0, 1, 2], frames);
        Assert.Equal([2L, 3L], progress.Select(p => p.FramesDone));
        Assert.All(progress, p => Assert.Equal(3L, p.TotalFrames));
        Assert.Equal(100, progress[^1].PercentComplete);
        Assert.Equal(TimeSpan.Zero, progress[^1].Remaining);
        Assert.True(progress[^1].FramesPerSecond > 0);
    }

    [Fact]
    public void A_missing_video_is_reported_and_the_others_are_predicted()
    {
        var missing = new Video("/nowhere/missing.mp4", VideoBackend.Media);
        var robot = FrameSources.DescribeFile(Robot3);
        var failures = new List<VideoFailure>();
        var pipeline = new PredictionPipeline(new BrightestPixelPredictor(TwoNodes), new PredictionPipelineOptions { VideoFailed = failures.Add });

        var predictions = pipeline.Run([PredictionTargets.Video(missing), PredictionTargets.Video(robot, [2, 0])]).ToList();

        Assert.Equal([2L, 0L], predictions.Select(p => p.FrameIndex));
        var failure = Assert.Single(failures);
        Assert.Same(missing, failure.Video);
        Assert.Equal(SleapErrorKind.NotFound, failure.Error.Kind);
        Assert.StartsWith("The video '/nowhere/missing.mp4' was not found", failure.Error.Message);
    }

    [Fact]
    public void A_frame_past_the_end_fails_its_video_after_the_frames_before_it()
    {
        var robot = FrameSources.DescribeFile(Robot3);
        var failures = new List<VideoFailure>();
        var pipeline = new PredictionPipeline(new BrightestPixelPredictor(TwoNodes), new PredictionPipelineOptions { VideoFailed = failures.Add });

        var predictions = pipeline.Run([PredictionTargets.Video(robot, [1, 7, 2])]).ToList();

        Assert.Equal([1L], predictions.Select(p => p.FrameIndex));
        var failure = Assert.Single(failures);
        Assert.Equal(1, failure.FramesPredicted);
        Assert.StartsWith("Frame index 7 is out of range for the video", failure.Error.Message);
    }

    [Fact]
    public void Without_a_failure_handler_a_video_failure_is_thrown()
    {
        var pipeline = new PredictionPipeline(new BrightestPixelPredictor(TwoNodes));
        var error = Assert.Throws<SleapException>(() => pipeline.Run([PredictionTargets.Video(new Video("/nowhere/missing.mp4", VideoBackend.Media))]).ToList());
        Assert.Equal(SleapErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public void Labelled_frames_carry_their_user_instances_as_ground_truth()
    {
        var labels = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));
        var predictor = new BrightestPixelPredictor(labels.Skeleton!, requiresGroundTruth: true);
        var pipeline = new PredictionPipeline(predictor);

        var predictions = pipeline.Run(PredictionTargets.LabeledFrames(labels)).ToList();

        var frame = Assert.Single(labels.LabeledFrames);
        var prediction = Assert.Single(predictions);
        Assert.Equal(frame.FrameIndex, prediction.FrameIndex);
        var truth = frame.UserInstances.First().Points;
        Assert.Equal(truth.Select(p => (p.X, p.Y)), prediction.Instances[0].Points.Select(p => (p.X, p.Y)));
    }

    [Fact]
    public void A_ground_truth_predictor_refuses_plain_videos_naming_what_to_pass()
    {
        var robot = FrameSources.DescribeFile(Robot3);
        var pipeline = new PredictionPipeline(new BrightestPixelPredictor(TwoNodes, requiresGroundTruth: true));
        var error = Assert.Throws<SleapException>(() => pipeline.Run([PredictionTargets.Video(robot)]));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal($"The SingleInstance predictor replaces a missing model with ground truth (the user instances of labelled frames, as SLEAP does), " +
                     $"so it cannot predict on the plain video '{robot.Filename}'. Give a labels file or Labels object with -Labels, " +
                     "or load the missing model (a centroid model, or a centered-instance model) with the others.", error.Message);
    }

    [Fact]
    public void Suggested_frames_are_those_without_user_labels()
    {
        var video = FrameSources.DescribeFile(Robot3);
        var labels = new Labels();
        labels.Videos.Add(video);
        labels.Suggestions.Add(new SuggestionFrame(video, 2));
        labels.Suggestions.Add(new SuggestionFrame(video, 0));
        labels.Suggestions.Add(new SuggestionFrame(video, 1));
        labels.LabeledFrames.Add(new LabeledFrame(video, 0, [new Instance(TwoNodes)]));

        var target = Assert.Single(PredictionTargets.SuggestedFrames(labels));
        Assert.Equal([2L, 1L], target.Frames!);
        Assert.Null(target.GroundTruth);
    }

    /// <summary>The statistics split the predictor's time into preprocessing, model and post-processing, and count the model runs.</summary>
    [Fact]
    public void Statistics_split_a_real_predictor_s_time_by_stage()
    {
        using var models = new SleapPS.Tests.Inference.TopDown.ModelFixture();
        var loaded = models.Load(SleapPS.Tests.Inference.TopDown.InferenceTestData.SingleInstanceRobot);
        using var predictor = PosePredictors.Create(loaded, new SleapPS.Engine.Models.InferenceSettings { BatchSize = 4 });
        var pipeline = new PredictionPipeline(predictor, new PredictionPipelineOptions { BatchSize = 4 });
        var video = FrameSources.DescribeFile(Paths.Fixture("videos", "small_robot.mp4"));
        for (int run = 0; run < 2; run++)
        {
            Assert.Equal(10, pipeline.Run([PredictionTargets.Video(video, FrameList.Parse("0-9").Expand())]).Count());
            var statistics = pipeline.Statistics;
            // Each run counts its own batches (4 + 4 + 2 frames), one model run each.
            Assert.Equal(3, statistics.Batches);
            Assert.Equal(3, statistics.ModelRuns);
            Assert.True(statistics.ModelTime > TimeSpan.Zero && statistics.PreprocessTime > TimeSpan.Zero);
            Assert.Equal(statistics.PredictTime, statistics.PreprocessTime + statistics.ModelTime + statistics.PostprocessTime);
            Assert.Equal(TimeSpan.Zero, statistics.GroupingTime);
        }
    }

    [Fact]
    public void Cancelling_stops_within_a_batch()
    {
        var video = FrameSources.DescribeFile(CenteredPair);
        using var cancel = new CancellationTokenSource();
        var predictor = new BrightestPixelPredictor(TwoNodes) { AfterBatch = n => { if (n == 3) cancel.Cancel(); } };
        var pipeline = new PredictionPipeline(predictor, new PredictionPipelineOptions { BatchSize = 4 });
        var received = new List<long>();

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var prediction in pipeline.Run([PredictionTargets.Video(video)], cancel.Token))
                received.Add(prediction.FrameIndex);
        });

        Assert.Equal(3, predictor.BatchSizes.Count);
        Assert.True(received.Count <= 12, $"{received.Count} frames came out after cancelling in batch 3");
        Assert.Equal(Enumerable.Range(0, received.Count).Select(i => (long)i), received);
    }
}

/// <summary>The managed heap is process-wide, so this runs while no other test does.</summary>
[CollectionDefinition(nameof(PipelineMemoryTests), DisableParallelization = true)]
public sealed class PipelineMemoryCollection;

[Collection(nameof(PipelineMemoryTests))]
public class PipelineMemoryTests(ITestOutputHelper output)
{
    private static Skeleton TwoNodes => PredictionPipelineTests.TwoNodes;
    private static string CenteredPair => PredictionPipelineTests.CenteredPair;

    [Fact]
    public void Memory_stays_flat_from_100_to_1000_frames()
    {
        long Peak(int frames)
        {
            var video = FrameSources.DescribeFile(CenteredPair);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long start = GC.GetTotalMemory(forceFullCollection: true), peak = start;
            var pipeline = new PredictionPipeline(new BrightestPixelPredictor(TwoNodes), new PredictionPipelineOptions
            {
                BatchSize = 4,
                Progress = _ => peak = Math.Max(peak, GC.GetTotalMemory(false)),
            });
            long count = 0;
            foreach (var _ in pipeline.Run([PredictionTargets.Video(video, FrameList.Parse($"0-{frames - 1}").Expand())])) count++;
            Assert.Equal(frames, count);
            output.WriteLine($"{frames} frames: managed heap {start / 1024} KiB at start, peak {peak / 1024} KiB ({pipeline.Statistics})");
            return peak - start;
        }

        Peak(100);   // warm-up: JIT, OpenCV
        long small = Peak(100), large = Peak(1000);
        output.WriteLine($"peak growth: {small / 1024} KiB for 100 frames, {large / 1024} KiB for 1000 frames");
        // Garbage between collections makes the figures noisy; a pipeline that kept frames would need 144 KiB per frame.
        Assert.True(large < small + 64L * 1024 * 1024, $"1000 frames grew the heap by {large / 1024} KiB, 100 frames by {small / 1024} KiB");
    }
}
