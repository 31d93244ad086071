using SleapPS.Engine.Data;

namespace SleapPS.Engine.Trajectories;

/// <summary>
/// Records an operation in the labels' provenance, which .slp files keep, so that a file says its points were
/// filtered, filled or smoothed, and how (docs/design/trajectories.md §6).
/// </summary>
internal static class CleaningRecord
{
    public const string Key = "trajectory_cleaning";

    public static void Add(Labels labels, TrajectoryOperation operation, IReadOnlyList<TrajectoryChange> changes,
        params (string Name, object? Value)[] parameters)
    {
        var entry = new Dictionary<string, object?> { ["operation"] = OperationName(operation) };
        foreach (var (name, value) in parameters) entry[name] = value;
        entry["points_removed"] = changes.Sum(c => c.Removed);
        entry["points_filled"] = changes.Sum(c => c.Filled);
        entry["points_smoothed"] = changes.Sum(c => c.Smoothed);
        entry["software"] = "SleapPS";
        var list = labels.Provenance.TryGetValue(Key, out var existing) && existing is System.Collections.IEnumerable items and not string
            ? items.Cast<object?>().ToList()
            : new List<object?>();
        list.Add(entry);
        labels.Provenance[Key] = list;
    }

    /// <summary>movement's function names, which say what was done to people who know movement or read the file in Python.</summary>
    private static string OperationName(TrajectoryOperation operation) => operation switch
    {
        TrajectoryOperation.RemoveLowScore => "filter_by_confidence",
        TrajectoryOperation.Interpolate => "interpolate_over_time",
        TrajectoryOperation.Median => "rolling_filter_median",
        _ => "savgol_filter",
    };
}
