using System.Collections;
using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Cmdlets.Editing;

/// <summary>What Rename-SleapNode and Rename-SleapTrack share: labels piped in, renamed by a hashtable of old name to new name.</summary>
public abstract class RenameCmdlet : LabelsEditCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    /// <summary>Old names to new ones: @{ head = 'Head'; thorax = 'Thorax' } (nodes), @{ '1' = 'female'; '2' = 'male' } (tracks).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public IDictionary Map { get; set; } = null!;

    /// <summary>What is renamed, singular ("node"), for the map's errors and the ShouldProcess action.</summary>
    protected abstract string Renamed { get; }

    /// <summary>The labels with the names of <paramref name="map"/> changed (a copy, or the input with -InPlace).</summary>
    protected abstract Labels Rename(Labels labels, Dictionary<string, string> map);

    protected override void ProcessRecord()
    {
        var map = NameMap(Map, Renamed);
        if (!MayEdit(InputObject, $"Rename {map.Count} {Renamed}s")) return;
        Emit(Rename(InputObject, map));
    }
}

/// <summary>Renames skeleton nodes by a hashtable of old name to new name; a node no skeleton has is an error that lists the nodes.</summary>
[Cmdlet(VerbsCommon.Rename, "SleapNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Labels))]
public sealed class RenameSleapNodeCommand : RenameCmdlet
{
    protected override string Renamed => "node";

    protected override Labels Rename(Labels labels, Dictionary<string, string> map) =>
        OrFail(() => LabelsRenaming.RenameNodes(labels, map, InPlace), "NodeNotFound");
}

/// <summary>Renames tracks by a hashtable of old name to new name; tracks given one name become one track.</summary>
[Cmdlet(VerbsCommon.Rename, "SleapTrack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Labels))]
public sealed class RenameSleapTrackCommand : RenameCmdlet
{
    protected override string Renamed => "track";

    protected override Labels Rename(Labels labels, Dictionary<string, string> map)
    {
        var (result, joined) = OrFail(() => LabelsRenaming.RenameTracks(labels, map, InPlace), "TrackNotFound");
        if (joined > 0) WriteVerbose($"{joined} tracks were joined into tracks of the same new name.");
        return result;
    }
}
