using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Tracking;

namespace SleapPS.Engine.Inference.Runs.Batch;

/// <summary>How a <see cref="BatchPrediction"/> predicts each video, and into which folder.</summary>
public sealed class BatchPredictionOptions
{
    public required Predictor Predictor { get; init; }

    public required InferenceSettings Settings { get; init; }

    /// <summary>The folder that receives one .slp per video and the manifest; created when missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The frames to predict in each video; null for all.</summary>
    public IReadOnlyList<long>? Frames { get; init; }

    /// <summary>Predict again videos whose output is complete (they are skipped otherwise).</summary>
    public bool Force { get; init; }

    public bool NoEmptyFrames { get; init; }

    public TrackerOptions? Tracking { get; init; }

    public string? TrackerName { get; init; }

    /// <summary>The command line, for each output's provenance.</summary>
    public string? Command { get; init; }

    /// <summary>The run's other arguments, for each output's provenance.</summary>
    public IReadOnlyDictionary<string, object?>? ExtraArgs { get; init; }

    public int FramesPerPart { get; init; } = ResumableSlpWriter.DefaultFramesPerPart;

    public int? DecoderThreads { get; init; }
}
