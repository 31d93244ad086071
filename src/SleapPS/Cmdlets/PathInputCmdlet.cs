using System.Management.Automation;

namespace SleapPS.Cmdlets;

/// <summary>
/// A cmdlet that reads the files named by -Path (wildcards allowed; text from the pipeline, or an object's Path
/// property) or -LiteralPath (taken as written; binds Get-ChildItem output by its PSPath). A path that matches nothing
/// is reported, naming it, and the others go on.
/// </summary>
public abstract class PathInputCmdlet : SleapCmdlet
{
    internal const string PathSet = "Path";
    internal const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The files of this call's -Path or -LiteralPath.</summary>
    /// <param name="notFound">Takes the error of a path that matches nothing instead of reporting it.</param>
    protected IEnumerable<string> InputPaths(Action<Engine.SleapException>? notFound = null) => ResolveInputPaths(Path, LiteralPath, notFound);
}
