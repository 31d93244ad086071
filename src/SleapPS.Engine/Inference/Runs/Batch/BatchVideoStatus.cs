namespace SleapPS.Engine.Inference.Runs.Batch;

/// <summary>What a batch did with one video (docs/design/batch-runs.md §2).</summary>
public enum BatchVideoStatus
{
    /// <summary>Predicted from the first frame; its output is complete.</summary>
    Predicted,

    /// <summary>Its output was already complete: left as it was (Force redoes it).</summary>
    Skipped,

    /// <summary>An earlier, interrupted run had predicted part of it: this run predicted the rest; its output is complete.</summary>
    Resumed,

    /// <summary>Another run is writing its output: left to that run.</summary>
    Locked,

    /// <summary>It could not be opened, read or written; frames done before the failure are kept for the next run.</summary>
    Failed,
}
