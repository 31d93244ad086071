using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;

namespace SleapPS.Cmdlets;

/// <summary>
/// A cmdlet that works on labels given as objects (-InputObject, from the pipeline) or as files (-Path with
/// wildcards, -LiteralPath bound from Get-ChildItem by PSPath). A file that cannot be read is reported and the
/// others go on.
/// </summary>
public abstract class LabelsInputCmdlet : CancellableCmdlet
{
    protected const string InputObjectSet = "InputObject";
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

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
        if (ParameterSetName == InputObjectSet)
        {
            ProcessLabels(InputObject);
            return;
        }
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string input in literal ? LiteralPath : Path)
        {
            foreach (string path in ResolveInputPaths(input, literal))
            {
                Labels labels;
                try
                {
                    labels = LabelsReader.Read(path);
                }
                catch (SleapException ex)
                {
                    Report(ex, "LabelsReadFailed");
                    continue;
                }
                ProcessLabels(labels);
            }
        }
    }
}
