using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference;

/// <summary>
/// One of SLEAP's predictors (inference.md §2) over ONNX models. Coordinates it returns are frame pixels with SLEAP's
/// pixel-centre convention (inference.md §1); missing nodes are NaN.
/// </summary>
public abstract class PosePredictor : IDisposable
{
    public abstract PredictorKind Kind { get; }

    /// <summary>True when a stage is replaced by ground truth (inference.md §9.6): frames must carry <see cref="FrameInput.GroundTruth"/>.</summary>
    public abstract bool RequiresGroundTruth { get; }

    /// <summary>Time spent preparing input and running models, summed over the predictor's batches.</summary>
    public PredictorStageTimes StageTimes { get; } = new();

    /// <summary>
    /// Predicts on a batch of frames (the pipeline batches frames of one size); returns one prediction per frame, in
    /// the frames' order. Not thread-safe: one batch at a time.
    /// </summary>
    public abstract IReadOnlyList<FramePrediction> PredictBatch(IReadOnlyList<FrameInput> frames, PredictionOptions options, CancellationToken cancellationToken);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the predictor's buffers (the models belong to the <see cref="Models.Predictor"/>, which disposes them).</summary>
    protected virtual void Dispose(bool disposing) { }
}
