using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Cmdlets.Editing;

/// <summary>Tracks kept or removed: the engine's <see cref="LabelsSubset.KeepTracks"/> behind Select-SleapTrack and Remove-SleapTrack.</summary>
public abstract class TrackSubsetCmdlet : SubsetCmdlet<Track>
{
    protected override IEnumerable<Track> ItemsOf(Labels labels) => labels.Tracks.Concat(labels.AllInstances.Select(i => i.Track).OfType<Track>());

    /// <summary>Keep the instances of the tracks that go, without a track, instead of removing them.</summary>
    [Parameter]
    public SwitchParameter Untrack { get; set; }

    protected override string ItemsName => "tracks";

    protected override Labels Kept(Labels labels, Func<Track, bool> keep)
    {
        var (result, counts) = LabelsSubset.KeepTracks(labels, keep, Untrack, InPlace);
        WriteVerbose(Untrack
            ? $"{counts.TracksRemoved} tracks removed; {counts.InstancesUntracked} of their instances kept without a track."
            : $"{counts.TracksRemoved} tracks removed with their {counts.InstancesRemoved} instances.");
        return result;
    }
}

/// <summary>Keeps only the tracks chosen by a script block ($_ the track) or piped in, with their instances.</summary>
[Cmdlet(VerbsCommon.Select, "SleapTrack", DefaultParameterSetName = ScriptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Labels))]
public sealed class SelectSleapTrackCommand : TrackSubsetCmdlet
{
    protected override bool KeepsChosen => true;
}

/// <summary>Removes the tracks chosen by a script block or piped in, and their instances (or, with -Untrack, only the tracks).</summary>
[Cmdlet(VerbsCommon.Remove, "SleapTrack", DefaultParameterSetName = ScriptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Labels))]
public sealed class RemoveSleapTrackCommand : TrackSubsetCmdlet
{
    protected override bool KeepsChosen => false;
}
