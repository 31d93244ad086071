using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;

namespace SleapPS.Cmdlets;

/// <summary>
/// Reads SLEAP labels files (.slp of any format version, analysis HDF5, legacy .json) into Labels
/// objects, and finds their videos the way SLEAP does.
/// </summary>
[Cmdlet(VerbsData.Import, "SleapLabels", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Labels))]
public sealed class ImportSleapLabelsCommand : PathInputCmdlet
{
    /// <summary>Folders to look for videos in when they are not where the labels file says.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] VideoSearchPath { get; set; } = [];

    protected override void ProcessRecord()
    {
        var options = new LabelsReadOptions();
        options.VideoSearchPaths.AddRange(VideoSearchPath.Select(ResolveOutputPath));

        foreach (string path in InputPaths())
        {
            Labels labels;
            try
            {
                WriteVerbose($"Reading labels from '{path}'.");
                labels = LabelsReader.Read(path, options);
            }
            catch (SleapException ex)
            {
                Report(ex, "LabelsReadFailed");
                continue;
            }
            foreach (var video in labels.Videos.Where(v => !v.IsAvailable))
                WriteWarning($"The video '{video.Filename}' of '{path}' was not found beside the labels file, under its parent folders " +
                             "or in the video search paths. Its frames cannot be read; give its folder with -VideoSearchPath.");
            WriteObject(labels);
        }
    }
}
