using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference;

/// <summary>
/// One of SLEAP's predictors (docs/design/inference.md §2) over ONNX models. Coordinates it returns are frame pixels with SLEAP's
/// pixel-centre convention (docs/design/inference.md §1); missing nodes are NaN.
/// </summary>
public abstract class PosePredictor : IDisposable
{
    public abstract PredictorKind Kind { get; }

    /// <summary>True when a stage is replaced by ground truth (docs/design/inference.md §9.6): frames must carry <see cref="FrameInput.GroundTruth"/>.</summary>
    public abstract bool RequiresGroundTruth { get; }

    /// <summary>
    /// SizeMatcher's target when the model's config names none (docs/design/inference.md §3.2): the largest height and width over
    /// the videos of SLEAP's data provider (every video of a labels file when predicting on its labelled or suggested
    /// frames). Null, the default, leaves every frame at its own size, which is what SLEAP does for a video on its own.
    /// Top-down multi-class has no SizeMatcher and ignores it.
    /// </summary>
    public virtual (int Height, int Width)? ProviderMaxSize { get; set; }

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
