using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;

namespace SleapPS.Cmdlets;

/// <summary>
/// Get-SleapVideo: describes video files (frame count, size, channels, fps, grayscale) the way
/// SLEAP reads them, or the videos of a labels object.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SleapVideo", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Video))]
public sealed class GetSleapVideoCommand : SleapCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string LabelsSet = "Labels";

    /// <summary>Video files, image files or folders of images; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Paths taken exactly as written (no wildcards); binds Get-ChildItem output by its PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Labels whose videos to describe.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LabelsSet, ValueFromPipeline = true)]
    public Labels? Labels { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == LabelsSet)
        {
            foreach (var video in Labels!.Videos)
                WriteObject(DescribeLabelsVideo(video));
            return;
        }
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string path in literal ? LiteralPath : Path)
        {
            foreach (string file in ResolveInputPaths(path, literal))
            {
                try
                {
                    WriteObject(FrameSources.DescribeFile(file));
                }
                catch (SleapException ex)
                {
                    Report(ex, ErrorIdOf(ex.Kind));
                }
            }
        }
    }

    /// <summary>
    /// Opens a labels video to fill in its shape. A video that cannot be opened is still emitted
    /// (with the shape the labels file gave) after a warning: the labels stay usable without it.
    /// </summary>
    private Video DescribeLabelsVideo(Video video)
    {
        try
        {
            using (FrameSources.Open(video)) { }
        }
        catch (SleapException ex)
        {
            WriteWarning(ex.Message);  // the message names the video and says why
        }
        return video;
    }

    private static string ErrorIdOf(SleapErrorKind kind) => kind switch
    {
        SleapErrorKind.NotFound => "VideoNotFound",
        SleapErrorKind.NotSupported => "VideoNotSupported",
        _ => "VideoUnreadable",
    };
}
