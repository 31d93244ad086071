using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Trajectories;

namespace SleapPS.Cmdlets;

/// <summary>Drops predicted points whose score is under -MinScore, as movement's filter_by_confidence (docs/design/trajectories.md §3).</summary>
[Cmdlet(VerbsCommon.Remove, "SleapLowScorePoint", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(Labels))]
public sealed class RemoveSleapLowScorePointCommand : TrajectoryCmdlet
{
    [Parameter(Mandatory = true)]
    [Alias("Threshold")]
    public double MinScore { get; set; }

    protected override TrajectoryResult Apply(Labels labels) =>
        TrajectoryCleaning.RemoveLowScorePoints(labels, MinScore, Selection, StopToken);
}
