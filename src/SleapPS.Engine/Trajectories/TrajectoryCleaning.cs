using SleapPS.Engine.Data;

namespace SleapPS.Engine.Trajectories;

/// <summary>
/// Trajectory cleaning on tracked labels, per track and node, in movement's terms (docs/design/trajectories.md):
/// each operation returns a changed copy (the input is never changed) and one <see cref="TrajectoryChange"/> per
/// track and node, and records itself in the copy's provenance.
/// </summary>
public static class TrajectoryCleaning
{
    /// <summary>Drops predicted points whose score is under <paramref name="minScore"/> (§3).</summary>
    public static TrajectoryResult RemoveLowScorePoints(Labels labels, double minScore, TrajectorySelection? selection = null, CancellationToken cancellation = default) =>
        LowScoreFilter.Apply(labels, minScore, selection ?? TrajectorySelection.All, cancellation);

    /// <summary>Fills gaps of up to <paramref name="maxGap"/> missing frames by linear interpolation (§4).</summary>
    public static TrajectoryResult FillGaps(Labels labels, int maxGap, TrajectorySelection? selection = null, CancellationToken cancellation = default) =>
        GapInterpolation.Apply(labels, maxGap, selection ?? TrajectorySelection.All, cancellation);

    /// <summary>Smooths each unbroken run of points with a median or Savitzky-Golay filter (§5).</summary>
    public static TrajectoryResult Smooth(Labels labels, SmoothingOptions options, TrajectorySelection? selection = null, CancellationToken cancellation = default) =>
        TrajectorySmoothing.Apply(labels, options, selection ?? TrajectorySelection.All, cancellation);
}
