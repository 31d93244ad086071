namespace SleapPS.Engine.Inference.Filtering;

/// <summary>How many predicted instances each rule of an <see cref="InstanceFilter"/> removed.</summary>
public sealed class InstanceFilterCounts
{
    public long Judged { get; internal set; }
    public long RemovedForFewNodes { get; internal set; }
    public long RemovedForLowScore { get; internal set; }
    public long RemovedForOverlap { get; internal set; }
    public long Removed => RemovedForFewNodes + RemovedForLowScore + RemovedForOverlap;

    public override string ToString() =>
        $"{Removed} of {Judged} predicted instances removed: {RemovedForFewNodes} with too few visible nodes, " +
        $"{RemovedForLowScore} with a low score, {RemovedForOverlap} overlapping a better one";
}
