using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Tests.Inference.Pipeline;

/// <summary>
/// A stand-in predictor stage for tracking tests: returns, untracked, the instances SLEAP predicted on the frame of the
/// same index in a recorded predictions file (two mice of centered_pair, 1100 frames), so that trackers get SLEAP's
/// real detections without running a model. The frames themselves are still decoded by the pipeline.
/// </summary>
internal sealed class ReplayPredictor(Labels recorded) : PosePredictor
{
    private readonly Dictionary<long, LabeledFrame> _frames = recorded.LabeledFrames.ToDictionary(f => f.FrameIndex);

    public override PredictorKind Kind => PredictorKind.BottomUp;

    public override bool RequiresGroundTruth => false;

    /// <summary>Batches done so far.</summary>
    public int Batches { get; private set; }

    /// <summary>Called after each batch with the number of batches done (e.g. to cancel a run mid-video).</summary>
    public Action<int>? AfterBatch { get; init; }

    public override IReadOnlyList<FramePrediction> PredictBatch(IReadOnlyList<FrameInput> frames, PredictionOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var predictions = frames.Select(f => Replay(f.Video, f.FrameIndex)).ToList();
        AfterBatch?.Invoke(++Batches);
        return predictions;
    }

    /// <summary>The recorded instances of a frame as a fresh, untracked prediction for <paramref name="video"/>.</summary>
    public FramePrediction Replay(Video video, long frameIndex)
    {
        var prediction = new FramePrediction(video, frameIndex);
        if (_frames.TryGetValue(frameIndex, out var frame))
            foreach (var instance in frame.PredictedInstances)
                prediction.Instances.Add(new PredictedInstance(instance.Skeleton, instance.Points.ToArray(), instance.Score));
        return prediction;
    }
}
