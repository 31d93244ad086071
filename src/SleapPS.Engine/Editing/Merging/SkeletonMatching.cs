using SleapPS.Engine.Data;

namespace SleapPS.Engine.Editing.Merging;

/// <summary>
/// Pairs an incoming skeleton with a base skeleton of the same node names, in any order, as sleap-io's default
/// "structure" matching does (docs/design/labels-operations.md §2.1), and gives where each incoming node's point goes.
/// </summary>
internal static class SkeletonMatching
{
    /// <summary>The base skeleton with the incoming skeleton's node names, and for each incoming node its index there.</summary>
    /// <exception cref="SleapException">InvalidArgument naming the nodes that differ from the closest base skeleton.</exception>
    public static (Skeleton Skeleton, int[] NodeOrder) Match(Skeleton incoming, IReadOnlyList<Skeleton> candidates, string incomingName, string baseName)
    {
        var names = new HashSet<string>(incoming.NodeNames, StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            if (candidate.Nodes.Count != incoming.Nodes.Count || !names.SetEquals(candidate.NodeNames)) continue;
            return (candidate, incoming.Nodes.Select(n => candidate.IndexOf(n.Name)).ToArray());
        }
        // The closest base skeleton (most nodes in common) says best what differs.
        var closest = candidates.MaxBy(c => c.NodeNames.Count(names.Contains))!;
        var onlyIncoming = incoming.NodeNames.Where(n => closest.IndexOf(n) < 0).ToList();
        var onlyBase = closest.NodeNames.Where(n => !names.Contains(n)).ToList();
        throw new SleapException(SleapErrorKind.InvalidArgument,
            $"The skeleton '{incoming.Name}' of {incomingName} does not match the skeleton '{closest.Name}' of {baseName}: " +
            $"nodes only in {incomingName}: {List(onlyIncoming)}; nodes only in {baseName}: {List(onlyBase)}. " +
            "Rename the nodes (Rename-SleapNode) so that both skeletons have the same node names, then merge.");
    }

    private static string List(List<string> names) => names.Count == 0 ? "(none)" : string.Join(", ", names);
}
