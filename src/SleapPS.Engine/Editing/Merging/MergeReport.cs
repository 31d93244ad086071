using SleapPS.Engine.Data;

namespace SleapPS.Engine.Editing.Merging;

/// <summary>Two user instances on one frame, one from each side, that are the same animal: the merge kept the base's.</summary>
public sealed record MergeConflict(Video Video, long FrameIndex, Instance Kept, Instance Dropped)
{
    public override string ToString() => $"Frame {FrameIndex} of {Path.GetFileName(Video.Filename)}: two user instances of one animal; the base's was kept";
}

/// <summary>What a merge did: what it matched, added, replaced and left out (docs/design/labels-operations.md §2.5).</summary>
public sealed class MergeReport
{
    /// <summary>The merged labels.</summary>
    public Labels Labels { get; internal set; } = null!;

    /// <summary>Labels merged into the first.</summary>
    public int LabelsMerged { get; internal set; }
    public int VideosMatched { get; internal set; }
    public int VideosAdded { get; internal set; }
    public int TracksMatched { get; internal set; }
    public int TracksAdded { get; internal set; }
    /// <summary>Frames only the incoming labels had, added whole.</summary>
    public int FramesAdded { get; internal set; }
    /// <summary>Frames both labels had, whose instances were combined.</summary>
    public int FramesMerged { get; internal set; }
    /// <summary>Incoming instances added beside the base frame's.</summary>
    public int InstancesAdded { get; internal set; }
    /// <summary>Base instances that an incoming one replaced (a prediction by a user instance or a newer prediction).</summary>
    public int InstancesReplaced { get; internal set; }
    /// <summary>Incoming instances left out (a base user instance of the same animal won, or the strategy kept the base's).</summary>
    public int InstancesSkipped { get; internal set; }
    /// <summary>Pairs of user instances of one animal on one frame; the base's was kept.</summary>
    public List<MergeConflict> Conflicts { get; } = new();

    public override string ToString() =>
        $"Merged {LabelsMerged} labels: {FramesAdded} frames added, {FramesMerged} merged; {InstancesAdded} instances added, " +
        $"{InstancesReplaced} replaced, {InstancesSkipped} skipped; {Conflicts.Count} conflicts";
}
