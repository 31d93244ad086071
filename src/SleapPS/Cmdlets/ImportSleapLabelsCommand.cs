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
public sealed class ImportSleapLabelsCommand : SleapCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Folders to look for videos in when they are not where the labels file says.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] VideoSearchPath { get; set; } = [];

    protected override void ProcessRecord()
    {
        var options = new LabelsReadOptions();
        options.VideoSearchPaths.AddRange(VideoSearchPath.Select(ResolveOutputPath));

        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string input in literal ? LiteralPath : Path)
        {
            foreach (string path in ResolveInputPaths(input, literal))
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
}
