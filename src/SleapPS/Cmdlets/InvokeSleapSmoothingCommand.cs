using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Trajectories;

namespace SleapPS.Cmdlets;

/// <summary>Smooths trajectories with a rolling median or a Savitzky-Golay filter (docs/design/trajectories.md §5).</summary>
[Cmdlet(VerbsLifecycle.Invoke, "SleapSmoothing", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(Labels))]
public sealed class InvokeSleapSmoothingCommand : TrajectoryCmdlet
{
    [Parameter]
    public SmoothingMethod Method { get; set; } = SmoothingMethod.Median;

    [Parameter(Mandatory = true)]
    public int Window { get; set; }

    [Parameter]
    public int PolyOrder { get; set; } = 2;

    protected override TrajectoryResult Apply(Labels labels) =>
        TrajectoryCleaning.Smooth(labels, new SmoothingOptions(Method, Window, PolyOrder), Selection, StopToken);
}
