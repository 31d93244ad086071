using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Trajectories;

namespace SleapPS.Cmdlets;

/// <summary>Fills gaps of up to -MaxGap frames by linear interpolation, as movement's interpolate_over_time (docs/design/trajectories.md §4).</summary>
[Cmdlet(VerbsCommon.Add, "SleapInterpolatedPoint", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(Labels))]
public sealed class AddSleapInterpolatedPointCommand : TrajectoryCmdlet
{
    [Parameter(Mandatory = true)]
    [ValidateRange(1, int.MaxValue)]
    public int MaxGap { get; set; }

    protected override TrajectoryResult Apply(Labels labels) =>
        TrajectoryCleaning.FillGaps(labels, MaxGap, Selection, StopToken);
}
