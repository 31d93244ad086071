using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Tracking;

namespace SleapPS.Engine.Inference.Runs;

/// <summary>What a <see cref="PredictionRun"/> predicts, with what, and where the predictions go.</summary>
public sealed class PredictionRunOptions
{
    /// <summary>The loaded models (skeleton, kind, provenance).</summary>
    public required Predictor Predictor { get; init; }

    /// <summary>The settings the models run with (the predictor's, with the run's overrides).</summary>
    public required InferenceSettings Settings { get; init; }

    /// <summary>Videos and frames, in the order to predict them.</summary>
    public required IReadOnlyList<PredictionTarget> Targets { get; init; }

    public PredictionRunOutput Output { get; init; } = PredictionRunOutput.LabelsPerVideo;

    /// <summary>The .slp to write with <see cref="PredictionRunOutput.File"/>.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Frames per part of the resumable output (<see cref="ResumableSlpWriter"/>).</summary>
    public int FramesPerPart { get; init; } = ResumableSlpWriter.DefaultFramesPerPart;

    /// <summary>
    /// Also hand over one <see cref="RawFrame"/> per frame (SLEAP's make_labels=False arrays) as predicted; with
    /// <see cref="PredictionRunOutput.None"/> they are the only output.
    /// </summary>
    public bool RawFrames { get; init; }

    /// <summary>With <see cref="RawFrames"/>: add confidence maps and part affinity fields.</summary>
    public bool IncludeConfidenceMaps { get; init; }

    /// <summary>Leave out frames where nothing was found (sleap-track's --no-empty-frames).</summary>
    public bool NoEmptyFrames { get; init; }

    /// <summary>Track identities while predicting; null does not track.</summary>
    public TrackerOptions? Tracking { get; init; }

    /// <summary>The tracker's name as the user gave it, for messages; the tracker kind when unset.</summary>
    public string? TrackerName { get; init; }

    /// <summary>The command line that started the run, written into provenance.</summary>
    public string? Command { get; init; }

    /// <summary>What was predicted on, for provenance (a labels file); the targets' videos joined by "; " when unset.</summary>
    public string? DataPath { get; init; }

    /// <summary>The run's other arguments (frames, tracking, ...), added to provenance args.</summary>
    public IReadOnlyDictionary<string, object?>? ExtraArgs { get; init; }

    /// <summary>Decoder threads per movie (<see cref="PredictionPipelineOptions.DecoderThreads"/>); the pipeline's default when unset.</summary>
    public int? DecoderThreads { get; init; }
}
