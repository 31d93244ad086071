using System.Collections;
using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Cmdlets.Editing;

/// <summary>
/// Replaces the video paths stored in labels, as sleap-io's filenames command does: by a map of old path (or folder) to new
/// path, and by looking for each video in search folders; videos found there store the path where they were found.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SleapVideoPath", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Labels))]
public sealed class SetSleapVideoPathCommand : LabelsEditCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    /// <summary>Old paths (whole, or a folder that starts them) to new ones.</summary>
    [Parameter(Position = 0)]
    public IDictionary? Map { get; set; }

    /// <summary>Folders to look for the videos in.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] SearchPath { get; set; } = [];

    protected override void ProcessRecord()
    {
        var map = Map is null ? new Dictionary<string, string>() : NameMap(Map, "video path");
        var search = SearchPath.Select(ResolveOutputPath).ToList();
        if (!MayEdit(InputObject, "Replace video paths")) return;
        var (result, changes) = OrFail(() => VideoPathReplacement.Replace(InputObject, map, search, InPlace), "InvalidVideoPathMap");
        foreach (var change in changes)
        {
            if (change.OldFilename != change.NewFilename) WriteVerbose($"'{change.OldFilename}' is now '{change.NewFilename}'.");
            if (!change.Found)
                WriteWarning($"The video '{change.NewFilename}' was not found on this machine. Its frames cannot be read; map it to where it is, or give its folder with -SearchPath.");
        }
        Emit(result);
    }
}
