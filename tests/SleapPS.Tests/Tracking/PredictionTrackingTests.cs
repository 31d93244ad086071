using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.IO;
using SleapPS.Engine.Tracking;
using SleapPS.Tests.Inference.Pipeline;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Tracking;

/// <summary>
/// Tracking while predicting, on SLEAP's recorded detections of centered_pair (replayed as the predictor stage) and the
/// frames of centered_pair_small.mp4: the same tracks as re-tracking the predictions afterwards, one tracker per video,
/// and a resumed run equal to an uninterrupted one.
/// </summary>
public sealed class PredictionTrackingTests : IDisposable
{
    private static readonly Labels Recorded = LabelsReader.Read(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
    private static readonly Dictionary<string, object?> Provenance = new() { ["predictor"] = "Replay" };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Video Pair() => FrameSources.DescribeFile(PredictionPipelineTests.CenteredPair);

    /// <summary>Track name and first point of every instance, frame by frame, in the frames' order.</summary>
    private static List<string> Assignment(IEnumerable<LabeledFrame> frames) =>
        frames.Select(f => $"{f.FrameIndex}: " + string.Join(" ", f.Instances.Select(i => $"{i.Track?.Name ?? "-"}@{i.Points[0].X:0.###},{i.Points[0].Y:0.###}"))).ToList();

    /// <summary>Predicts <paramref name="frames"/> with the replayed detections and tracks while predicting.</summary>
    private static List<LabeledFrame> PredictTracked(Video video, string frames, TrackerOptions options)
    {
        var targets = new[] { PredictionTargets.Video(video, FrameList.Parse(frames).Expand()) };
        var pipeline = new PredictionPipeline(new ReplayPredictor(Recorded), new PredictionPipelineOptions { BatchSize = 4 });
        using var tracking = new PredictionTracking(options, targets);
        var output = new List<LabeledFrame>();
        var stream = tracking.UsesImage ? pipeline.RunWithImages(targets) : pipeline.Run(targets).Select(p => new PredictedFrame(p, null));
        foreach (var frame in stream)
            output.AddRange(tracking.Track(frame.Prediction, frame.Image).Select(ToFrame));
        output.AddRange(tracking.Finish().Select(ToFrame));
        return output;
    }

    /// <summary>What Start-SleapTracker does with the same predictions, untracked: SLEAP's re-tracking.</summary>
    private static List<LabeledFrame> Retracked(Video video, string frames, TrackerOptions options)
    {
        var replay = new ReplayPredictor(Recorded);
        var labels = new Labels();
        foreach (long frame in FrameList.Parse(frames).Expand())
            labels.LabeledFrames.Add(ToFrame(replay.Replay(video, frame)));
        labels.CollectReferencedItems();
        return LabelsTracking.Track(labels, options).LabeledFrames;
    }

    private static LabeledFrame ToFrame(FramePrediction prediction) => new(prediction.Video, prediction.FrameIndex, prediction.Instances);

    public static TheoryData<string, TrackerOptions> Trackers => new()
    {
        { "simple", new TrackerOptions { Tracker = TrackerKind.Simple } },
        { "flow", new TrackerOptions { Tracker = TrackerKind.Flow } },
        { "simplemaxtracks 2, connect breaks", new TrackerOptions { Tracker = TrackerKind.Simple, MaxTracks = 2, MaxTracking = true, PostConnectSingleBreaks = true } },
        { "flow, pre-cull to 2, min new track points 3", new TrackerOptions { Tracker = TrackerKind.Flow, TargetInstanceCount = 2, PreCullToTarget = true, MinNewTrackPoints = 3 } },
    };

    [Theory]
    [MemberData(nameof(Trackers))]
    public void Tracking_while_predicting_gives_the_tracks_of_retracking_the_predictions(string name, TrackerOptions options)
    {
        var video = Pair();
        var tracked = PredictTracked(video, "200-299", options);
        var expected = Retracked(video, "200-299", options);

        Assert.Equal(Assignment(expected), Assignment(tracked));
        Assert.True(tracked.SelectMany(f => f.Instances).Select(i => i.Track).Distinct().Count() > 1, name);
    }

    [Fact]
    public void Flow_gets_the_frames_the_predictor_got()
    {
        // The same detections with the frames of another video give other flow tracks: the pixels matter, and the
        // equality above shows they are the frames Start-SleapTracker decodes again.
        var options = new TrackerOptions { Tracker = TrackerKind.Flow };
        var tracked = PredictTracked(Pair(), "200-299", options);
        var simple = PredictTracked(Pair(), "200-299", new TrackerOptions { Tracker = TrackerKind.Simple });
        Assert.NotEqual(Assignment(simple), Assignment(tracked));
    }

    [Fact]
    public void RunWithImages_lends_each_frame_as_decoded_from_a_small_pool_of_buffers()
    {
        var video = Pair();
        var pipeline = new PredictionPipeline(new ReplayPredictor(Recorded), new PredictionPipelineOptions { BatchSize = 4 });
        var buffers = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        using var source = FrameSources.Open(video);
        int frames = 0;
        foreach (var frame in pipeline.RunWithImages([PredictionTargets.Video(video, FrameList.Parse("0-99").Expand())]))
        {
            var image = frame.Image!;
            Assert.Equal((source.Height, source.Width, source.Channels), (image.Height, image.Width, image.Channels));
            Assert.Equal(source.ReadFrame(frame.Prediction.FrameIndex), image.Pixels);
            buffers.Add(image.Pixels);
            frames++;
        }
        Assert.Equal(100, frames);
        Assert.InRange(buffers.Count, 1, 4 * (2 * 2 + 3));
    }

    [Fact]
    public void Each_video_gets_its_own_tracker_and_matching_tracks_are_shared()
    {
        var first = Pair();
        var second = Pair();   // another Video object: another video to the pipeline
        var targets = new[]
        {
            PredictionTargets.Video(first, FrameList.Parse("0-9").Expand()),
            PredictionTargets.Video(second, FrameList.Parse("0-9").Expand()),
        };
        var options = new TrackerOptions { Tracker = TrackerKind.Simple, MaxTracks = 2, MaxTracking = true, PostConnectSingleBreaks = true };
        var pipeline = new PredictionPipeline(new ReplayPredictor(Recorded), new PredictionPipelineOptions { BatchSize = 4 });
        using var tracking = new PredictionTracking(options, targets);
        var output = new List<FramePrediction>();
        var releasedAfter = new List<int>();
        foreach (var prediction in pipeline.Run(targets))
        {
            var ready = tracking.Track(prediction, null);
            output.AddRange(ready);
            releasedAfter.Add(ready.Count);
        }
        output.AddRange(tracking.Finish());

        // With a final pass a video's frames wait for its end: the first video comes out when the second starts.
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0], releasedAfter);
        Assert.Equal(Enumerable.Range(0, 10).Concat(Enumerable.Range(0, 10)).Select(i => (long)i), output.Select(p => p.FrameIndex));
        var firstTracks = output.Take(10).Select(ToFrame).ToList();
        var secondTracks = output.Skip(10).Select(ToFrame).ToList();
        Assert.Equal(Assignment(firstTracks), Assignment(secondTracks));      // a fresh tracker: the same identities again
        var tracks = output.SelectMany(p => p.Instances).Select(i => i.Track).Distinct().ToList();
        Assert.Equal(2, tracks.Count);                                         // track_0 and track_1 of both videos are the same objects
    }

    [Fact]
    public void A_resumed_run_is_tracked_again_and_equals_the_uninterrupted_run()
    {
        var options = new TrackerOptions { Tracker = TrackerKind.Flow, MaxTracks = 2, MaxTracking = true, PostConnectSingleBreaks = true };
        var whole = RunToFile(_dir.File("whole.slp"), options, cancelAfterBatch: null);
        Assert.NotNull(whole);
        Assert.Equal(Assignment(Retracked(Pair(), "300-361", options)), Assignment(whole!.LabeledFrames));

        string path = _dir.File("resumed.slp");
        Assert.Null(RunToFile(path, options, cancelAfterBatch: 5));
        var parts = ResumableSlpWriter.PartsFolderOf(path);
        Assert.True(Directory.Exists(parts));
        var resumed = RunToFile(path, options, cancelAfterBatch: null);

        Assert.Equal(Assignment(whole.LabeledFrames), Assignment(resumed!.LabeledFrames));
        Assert.Equal(Assignment(whole.LabeledFrames), Assignment(LabelsReader.Read(path).LabeledFrames));
        Assert.Equal(["track_0", "track_1"], resumed.Tracks.Select(t => t.Name));
        Assert.False(Directory.Exists(parts));
    }

    /// <summary>
    /// What Invoke-SleapPredict does with -OutputPath and a tracker: frames 300-361 tracked into 10-frame parts; a
    /// stopped run keeps the frames the tracker held; a resumed run predicts the rest untracked and re-tracks the
    /// merged file. Returns the labels written, or null when stopped.
    /// </summary>
    private static Labels? RunToFile(string path, TrackerOptions options, int? cancelAfterBatch)
    {
        var video = Pair();
        var targets = new[] { PredictionTargets.Video(video, FrameList.Parse("300-361").Expand()) };
        var writer = new ResumableSlpWriter(path, Recorded.Skeleton!, [video], "{\"test\":\"replay 300-361\"}", dropEmptyFrames: false, framesPerPart: 10);
        bool resumed = writer.ResumedFrames > 0;
        using var cancel = new CancellationTokenSource();
        var predictor = new ReplayPredictor(Recorded) { AfterBatch = n => { if (n == cancelAfterBatch) cancel.Cancel(); } };
        var pipeline = new PredictionPipeline(predictor, new PredictionPipelineOptions { BatchSize = 4, Skip = writer.IsDone });
        using var tracking = resumed ? null : new PredictionTracking(options, targets);
        try
        {
            var stream = tracking is { UsesImage: true } ? pipeline.RunWithImages(targets, cancel.Token) : pipeline.Run(targets, cancel.Token).Select(p => new PredictedFrame(p, null));
            foreach (var frame in stream)
            {
                if (tracking is null) writer.Add(frame.Prediction);
                else foreach (var ready in tracking.Track(frame.Prediction, frame.Image)) writer.Add(ready);
            }
            if (tracking is not null) foreach (var ready in tracking.Finish()) writer.Add(ready);
        }
        catch (OperationCanceledException)
        {
            foreach (var held in tracking!.Abandon()) writer.Add(held);
            writer.Suspend();
            return null;
        }
        if (resumed) return writer.CompleteInMemory(Provenance, merged => PredictionTracking.Retrack(merged, options, dropEmptyFrames: false));
        writer.Complete(Provenance);
        return LabelsReader.Read(path);
    }
}
