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
public sealed class GetSleapVideoCommand : PathInputCmdlet
{
    private const string LabelsSet = "Labels";

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
        foreach (string file in InputPaths())
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
