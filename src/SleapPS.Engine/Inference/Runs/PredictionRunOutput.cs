namespace SleapPS.Engine.Inference.Runs;

/// <summary>Where a <see cref="PredictionRun"/> puts its predictions (docs/design/architecture.md §7).</summary>
public enum PredictionRunOutput
{
    /// <summary>One Labels per video, handed to <see cref="PredictionRunEvents.Labels"/> as each video completes.</summary>
    LabelsPerVideo,

    /// <summary>One Labels for the whole run (frames of a labels file), handed over when the run completes.</summary>
    LabelsOfRun,

    /// <summary>No labels and no file: only the raw frames (<see cref="PredictionRunOptions.RawFrames"/>) go out.</summary>
    None,

    /// <summary>A resumable .slp file (<see cref="PredictionRunOptions.OutputPath"/>), written in parts as the run goes.</summary>
    File,
}
