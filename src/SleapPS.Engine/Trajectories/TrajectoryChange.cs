namespace SleapPS.Engine.Trajectories;

/// <summary>The trajectory operations (docs/design/trajectories.md §3–§5).</summary>
public enum TrajectoryOperation
{
    /// <summary>Points under a score dropped (movement's filter_by_confidence).</summary>
    RemoveLowScore,
    /// <summary>Gaps filled by linear interpolation (movement's interpolate_over_time).</summary>
    Interpolate,
    /// <summary>Rolling median (movement's rolling_filter with the median).</summary>
    Median,
    /// <summary>Savitzky-Golay smoothing (movement's savgol_filter).</summary>
    SavitzkyGolay,
}

/// <summary>
/// What one operation did to one node of one track on one video. Counts are of points: present ones (with
/// coordinates and visible) before and after, and those removed, filled or smoothed. Gaps are runs of frames in the
/// track's span where the node is missing; SkippedPoints are points of runs too short for the smoothing window.
/// </summary>
public sealed record TrajectoryChange(
    TrajectoryOperation Operation,
    string Video,
    string? Track,
    string Node,
    int PointsBefore,
    int PointsAfter,
    int Removed,
    int Filled,
    int Smoothed,
    int SkippedPoints,
    int GapsFilled,
    int GapsLeft);

/// <summary>The changed copy of the labels and what changed, per track and node.</summary>
public sealed record TrajectoryResult(Data.Labels Labels, IReadOnlyList<TrajectoryChange> Changes);
