using System.Management.Automation;
using SleapPS.Engine.Data;

namespace SleapPS.Cmdlets;

/// <summary>
/// A cmdlet that works on labels given as objects (-InputObject, from the pipeline) or as files (-Path with
/// wildcards, -LiteralPath bound from Get-ChildItem by PSPath). A file that cannot be read is reported and the
/// others go on. Start-SleapTracker declares the same parameters (its base carries the tracker parameters it shares
/// with Invoke-SleapPredict) and reads them with the same <see cref="SleapCmdlet.InputLabels"/>.
/// </summary>
public abstract class LabelsInputCmdlet : CancellableCmdlet
{
    internal const string InputObjectSet = "InputObject";
    internal const string PathSet = PathInputCmdlet.PathSet;
    internal const string LiteralPathSet = PathInputCmdlet.LiteralPathSet;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The work on one labels object.</summary>
    protected abstract void ProcessLabels(Labels labels);

    protected override void ProcessRecord()
    {
        foreach (var labels in InputLabels(InputObject, Path, LiteralPath))
            ProcessLabels(labels);
    }
}
