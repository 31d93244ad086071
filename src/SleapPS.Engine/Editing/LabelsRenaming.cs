using SleapPS.Engine.Data;

namespace SleapPS.Engine.Editing;

/// <summary>
/// Renames skeleton nodes and tracks by maps of old name to new name (docs/design/labels-operations.md §5). Every old name
/// must exist: a typo is an error that lists the names there are, never a silent no-op. Each returns a copy unless asked
/// to edit in place.
/// </summary>
public static class LabelsRenaming
{
    /// <summary>
    /// Renames nodes in every skeleton of the labels. Points stay where they are: a node keeps its position in the
    /// skeleton, only its name changes.
    /// </summary>
    /// <exception cref="SleapException">
    /// InvalidArgument when an old name is in no skeleton (listing each skeleton's nodes), or when the new names would
    /// give a skeleton two nodes of one name.
    /// </exception>
    public static Labels RenameNodes(Labels labels, IReadOnlyDictionary<string, string> map, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(map);
        var skeletons = SkeletonsOf(labels);
        foreach (var (from, to) in map)
        {
            if (string.IsNullOrEmpty(to))
                throw new SleapException(SleapErrorKind.InvalidArgument, $"The new name of node '{from}' is empty. Give every node a name.");
            if (!skeletons.Any(s => s.IndexOf(from) >= 0))
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"No skeleton has a node named '{from}'. {DescribeNodes(skeletons)}");
        }
        foreach (var skeleton in skeletons)
        {
            var names = skeleton.Nodes.Select(n => map.TryGetValue(n.Name, out var to) ? to : n.Name).ToList();
            var twice = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"Renaming would give skeleton '{skeleton.Name}' two nodes named '{twice.Key}'. Node names must be unique; " +
                    $"its nodes are: {string.Join(", ", skeleton.NodeNames)}.");
        }
        var target = inPlace ? labels : LabelsCopy.Of(labels);
        foreach (var skeleton in SkeletonsOf(target))
            foreach (var node in skeleton.Nodes)
                if (map.TryGetValue(node.Name, out var to)) node.Name = to;
        return target;
    }

    /// <summary>
    /// Renames tracks. Tracks that end up with the same name become one track (the first in the list): that is how two
    /// identities are joined. Returns the labels and how many tracks were joined into others.
    /// </summary>
    /// <exception cref="SleapException">InvalidArgument when an old name is no track's name (listing the tracks), or a new name is empty.</exception>
    public static (Labels Labels, int TracksJoined) RenameTracks(Labels labels, IReadOnlyDictionary<string, string> map, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(map);
        foreach (var (from, to) in map)
        {
            if (string.IsNullOrEmpty(to))
                throw new SleapException(SleapErrorKind.InvalidArgument, $"The new name of track '{from}' is empty. Give every track a name.");
            if (!labels.Tracks.Any(t => t.Name == from))
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"There is no track named '{from}'. The tracks are: {(labels.Tracks.Count == 0 ? "(none)" : string.Join(", ", labels.Tracks.Select(t => t.Name)))}.");
        }
        var target = inPlace ? labels : LabelsCopy.Of(labels);
        var renamed = new HashSet<Track>(ReferenceEqualityComparer.Instance);
        foreach (var track in target.Tracks)
            if (map.TryGetValue(track.Name, out var to))
            {
                track.Name = to;
                renamed.Add(track);
            }
        // Join tracks that now share a name into the first of them. Only renamed tracks join: two tracks that had one
        // name before stay apart, as they were.
        var first = new Dictionary<string, Track>(StringComparer.Ordinal);
        var joinedInto = new Dictionary<Track, Track>(ReferenceEqualityComparer.Instance);
        foreach (var track in target.Tracks)
        {
            if (!first.TryGetValue(track.Name, out var keeper)) first[track.Name] = track;
            else if (renamed.Contains(track) || renamed.Contains(keeper)) joinedInto[track] = keeper;
        }
        if (joinedInto.Count > 0)
        {
            foreach (var instance in target.AllInstances)
                if (instance.Track is { } track && joinedInto.TryGetValue(track, out var keeper)) instance.Track = keeper;
            target.Tracks.RemoveAll(joinedInto.ContainsKey);
        }
        return (target, joinedInto.Count);
    }

    private static List<Skeleton> SkeletonsOf(Labels labels)
    {
        var skeletons = new List<Skeleton>(labels.Skeletons);
        foreach (var instance in labels.AllInstances)
            if (!skeletons.Contains(instance.Skeleton)) skeletons.Add(instance.Skeleton);
        return skeletons;
    }

    /// <summary>"The skeleton 'x' has the nodes: a, b." (or one such sentence per skeleton), for errors about node names.</summary>
    public static string DescribeNodes(IReadOnlyList<Skeleton> skeletons) => skeletons.Count switch
    {
        0 => "The labels have no skeleton.",
        1 => $"The skeleton '{skeletons[0].Name}' has the nodes: {string.Join(", ", skeletons[0].NodeNames)}.",
        _ => string.Join(" ", skeletons.Select(s => $"Skeleton '{s.Name}' has the nodes: {string.Join(", ", s.NodeNames)}.")),
    };
}
