namespace SleapPS.Engine.Trajectories;

/// <summary>The counts of one track and node while an operation runs, turned into a <see cref="TrajectoryChange"/> at the end.</summary>
internal sealed class ChangeCounts
{
    public int PointsBefore, Removed, Filled, Smoothed, SkippedPoints, GapsFilled, GapsLeft;

    public TrajectoryChange ToChange(TrajectoryOperation operation, string video, string? track, string node) =>
        new(operation, video, track, node, PointsBefore, PointsBefore - Removed + Filled, Removed, Filled, Smoothed, SkippedPoints, GapsFilled, GapsLeft);
}
