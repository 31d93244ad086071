using System.Diagnostics;

namespace SleapPS.Engine.Inference;

/// <summary>
/// Where a predictor's time went, summed over every batch since it was made: preparing the models' input (colour,
/// size matching, crops, uint8 to float, resize, padding) and running the models (ONNX Runtime, outputs copied out).
/// Whatever else <see cref="PosePredictor.PredictBatch"/> takes is post-processing (peaks, refinement, grouping,
/// instances). Recording costs two timestamp reads per stage and batch, no allocation; read it between batches.
/// </summary>
public sealed class PredictorStageTimes
{
    private long _preprocessTicks;
    private long _modelTicks;
    private long _modelRuns;
    private long _groupingTicks;

    /// <summary>Time spent preparing model input.</summary>
    public TimeSpan Preprocess => TimeSpan.FromSeconds((double)_preprocessTicks / Stopwatch.Frequency);

    /// <summary>Time spent in model runs.</summary>
    public TimeSpan Model => TimeSpan.FromSeconds((double)_modelTicks / Stopwatch.Frequency);

    /// <summary>Part of post-processing: grouping peaks into instances (bottom-up PAF grouping, class-map identities).</summary>
    public TimeSpan Grouping => TimeSpan.FromSeconds((double)_groupingTicks / Stopwatch.Frequency);

    /// <summary>Model runs (a top-down batch makes two or more: centroids, then crops in chunks).</summary>
    public long ModelRuns => _modelRuns;

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>) to preprocessing.</summary>
    public void AddPreprocess(long startTimestamp) => _preprocessTicks += Stopwatch.GetTimestamp() - startTimestamp;

    /// <summary>Adds the time since <paramref name="startTimestamp"/> to the model, as one run.</summary>
    public void AddModelRun(long startTimestamp)
    {
        _modelTicks += Stopwatch.GetTimestamp() - startTimestamp;
        _modelRuns++;
    }

    /// <summary>Adds the time since <paramref name="startTimestamp"/> to grouping.</summary>
    public void AddGrouping(long startTimestamp) => _groupingTicks += Stopwatch.GetTimestamp() - startTimestamp;

    /// <summary>A copy of the figures now, to subtract from a later one.</summary>
    public PredictorStageTimes Snapshot() => new()
    {
        _preprocessTicks = _preprocessTicks,
        _modelTicks = _modelTicks,
        _modelRuns = _modelRuns,
        _groupingTicks = _groupingTicks,
    };
}
