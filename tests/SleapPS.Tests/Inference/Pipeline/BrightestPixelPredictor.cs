using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Tests.Inference.Pipeline;

/// <summary>
/// A stand-in for the predictor stage (the pipeline's tests are about streaming, not about SLEAP's numbers): one
/// instance per frame with every node at the frame's brightest pixel (first in row-major order, channel 0) and the
/// pixel's value / 255 as score. The answer depends on the real decoded pixels, so frame order and content are checked
/// against an independent read of the video.
/// </summary>
internal sealed class BrightestPixelPredictor(Skeleton skeleton, bool requiresGroundTruth = false) : PosePredictor
{
    public override PredictorKind Kind => PredictorKind.SingleInstance;

    public override bool RequiresGroundTruth => requiresGroundTruth;

    /// <summary>The size of every batch seen, in order.</summary>
    public List<int> BatchSizes { get; } = new();

    /// <summary>Called after each batch with the number of batches done (e.g. to cancel a run mid-video).</summary>
    public Action<int>? AfterBatch { get; init; }

    public override IReadOnlyList<FramePrediction> PredictBatch(IReadOnlyList<FrameInput> frames, PredictionOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Assert.All(frames, f => Assert.Equal((frames[0].Height, frames[0].Width, frames[0].Channels), (f.Height, f.Width, f.Channels)));
        var predictions = frames.Select(Predict).ToList();
        BatchSizes.Add(frames.Count);
        AfterBatch?.Invoke(BatchSizes.Count);
        return predictions;
    }

    public static (double X, double Y, double Score) Brightest(byte[] pixels, int height, int width, int channels)
    {
        int best = 0;
        for (int i = 1; i < height * width; i++)
            if (pixels[i * channels] > pixels[best * channels]) best = i;
        return (best % width, best / width, pixels[best * channels] / 255.0);
    }

    private FramePrediction Predict(FrameInput frame)
    {
        var (x, y, score) = Brightest(frame.Pixels, frame.Height, frame.Width, frame.Channels);
        var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
        var points = Enumerable.Repeat(new Point(x, y, Score: score), skeleton.Nodes.Count).ToArray();
        // Ground truth, when given, moves the instance to the first user point: proof that it reached the predictor.
        if (frame.GroundTruth is { Count: > 0 } truth)
            points = truth[0].Points.Select(p => new Point(p.X, p.Y, Score: 1.0)).ToArray();
        prediction.Instances.Add(new PredictedInstance(skeleton, points, score));
        return prediction;
    }
}
