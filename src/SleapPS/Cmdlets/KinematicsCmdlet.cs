using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Trajectories;

namespace SleapPS.Cmdlets;

/// <summary>The parameters and error handling Get-SleapKinematics and Measure-SleapKinematics share (docs/design/trajectories.md §7).</summary>
public abstract class KinematicsCmdlet : LabelsInputCmdlet
{
    /// <summary>The nodes to follow, one row each; the centroid of all nodes when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Node { get; set; }

    /// <summary>With -Node: the centroid of those nodes instead of one row per node.</summary>
    [Parameter]
    public SwitchParameter Centroid { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Track { get; set; }

    /// <summary>Frames per second, instead of the video's own.</summary>
    [Parameter]
    public double? FrameRate { get; set; }

    protected KinematicsOptions Options => new() { Nodes = Node, Tracks = Track, Centroid = Centroid, FrameRate = FrameRate };

    /// <summary>Writes every item of the engine's sequence; a bad option is reported for this labels object.</summary>
    protected void WriteAll<T>(Func<IEnumerable<T>> rows)
    {
        try
        {
            foreach (var row in rows()) WriteObject(row);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (SleapException ex)
        {
            Report(ex, "KinematicsFailed");
        }
    }
}

/// <summary>Per-frame positions, velocities, speeds and steps of each track's nodes or centroid.</summary>
[Cmdlet(VerbsCommon.Get, "SleapKinematics", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(KinematicsRow))]
public sealed class GetSleapKinematicsCommand : KinematicsCmdlet
{
    protected override void ProcessLabels(Labels labels) => WriteAll(() => Kinematics.Rows(labels, Options, StopToken));
}

/// <summary>Per-track distances travelled and mean and largest speeds.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "SleapKinematics", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(TrackKinematics))]
public sealed class MeasureSleapKinematicsCommand : KinematicsCmdlet
{
    protected override void ProcessLabels(Labels labels) => WriteAll(() => Kinematics.Summaries(labels, Options, StopToken));
}
