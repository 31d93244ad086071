using System.Collections;
using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Cmdlets.Editing;

/// <summary>Renames skeleton nodes by a hashtable of old name to new name; a node no skeleton has is an error that lists the nodes.</summary>
[Cmdlet(VerbsCommon.Rename, "SleapNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Labels))]
public sealed class RenameSleapNodeCommand : LabelsEditCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    /// <summary>Old node names to new ones: @{ head = 'Head'; thorax = 'Thorax' }.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public IDictionary Map { get; set; } = null!;

    protected override void ProcessRecord()
    {
        var map = NameMap(Map, "node");
        if (!MayEdit(InputObject, $"Rename {map.Count} nodes")) return;
        Emit(OrFail(() => LabelsRenaming.RenameNodes(InputObject, map, InPlace), "NodeNotFound"));
    }
}

/// <summary>Renames tracks by a hashtable of old name to new name; tracks given one name become one track.</summary>
[Cmdlet(VerbsCommon.Rename, "SleapTrack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Labels))]
public sealed class RenameSleapTrackCommand : LabelsEditCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    /// <summary>Old track names to new ones: @{ '1' = 'female'; '2' = 'male' }.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public IDictionary Map { get; set; } = null!;

    protected override void ProcessRecord()
    {
        var map = NameMap(Map, "track");
        if (!MayEdit(InputObject, $"Rename {map.Count} tracks")) return;
        var (result, joined) = OrFail(() => LabelsRenaming.RenameTracks(InputObject, map, InPlace), "TrackNotFound");
        if (joined > 0) WriteVerbose($"{joined} tracks were joined into tracks of the same new name.");
        Emit(result);
    }
}
