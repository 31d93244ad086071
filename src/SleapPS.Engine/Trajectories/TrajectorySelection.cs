using SleapPS.Engine.Data;

namespace SleapPS.Engine.Trajectories;

/// <summary>Which tracks and nodes a trajectory operation works on; null or empty means all of them.</summary>
public sealed class TrajectorySelection
{
    public IReadOnlyList<string>? Nodes { get; init; }
    public IReadOnlyList<string>? Tracks { get; init; }

    /// <summary>Everything: every track and every node.</summary>
    public static TrajectorySelection All { get; } = new();

    /// <summary>
    /// The node indices of <paramref name="skeleton"/> to work on. A node name the skeleton lacks is an error that lists
    /// the skeleton's nodes, so that a typo is caught before anything is changed.
    /// </summary>
    internal int[] NodeIndicesOf(Skeleton skeleton)
    {
        if (Nodes is not { Count: > 0 }) return Enumerable.Range(0, skeleton.Nodes.Count).ToArray();
        var indices = new int[Nodes.Count];
        for (int i = 0; i < Nodes.Count; i++)
        {
            indices[i] = skeleton.IndexOf(Nodes[i]);
            if (indices[i] < 0)
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"Skeleton '{skeleton.Name}' has no node named '{Nodes[i]}'. Its nodes are: {string.Join(", ", skeleton.NodeNames)}.");
        }
        return indices.Distinct().ToArray();
    }

    /// <summary>Checks every node name against every skeleton of the labels, and every track name against their tracks.</summary>
    internal void Check(Labels labels)
    {
        foreach (var skeleton in labels.Skeletons) NodeIndicesOf(skeleton);
        if (Tracks is not { Count: > 0 }) return;
        foreach (string name in Tracks)
            if (!labels.Tracks.Exists(t => t.Name == name))
                throw new SleapException(SleapErrorKind.InvalidArgument, labels.Tracks.Count == 0
                    ? $"The labels have no tracks, so there is no track named '{name}'. Track them first (Start-SleapTracker)."
                    : $"The labels have no track named '{name}'. Their tracks are: {string.Join(", ", labels.Tracks.Select(t => t.Name))}.");
    }

    /// <summary>True when the operation works on instances of <paramref name="track"/> (null: untracked).</summary>
    internal bool Includes(Track? track) =>
        Tracks is not { Count: > 0 } || (track is not null && Tracks.Contains(track.Name));
}
