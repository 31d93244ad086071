using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing.Merging;
using SleapPS.Engine.IO;

namespace SleapPS.Cmdlets.Editing;

/// <summary>
/// Merges labels as sleap-io's Labels.merge does: skeletons by node names, videos by path, tracks by name, and on frames
/// both have, user instances win over predictions. Takes Labels objects or labels files; emits the merged Labels, or
/// with -AsReport a MergeReport that holds them.
/// </summary>
[Cmdlet(VerbsData.Merge, "SleapLabels", DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(Labels), typeof(MergeReport))]
public sealed class MergeSleapLabelsCommand : CancellableCmdlet
{
    private const string ObjectSet = "InputObject";
    private const string PathSet = PathInputCmdlet.PathSet;
    private const string LiteralPathSet = PathInputCmdlet.LiteralPathSet;

    private readonly List<Labels> _inputs = [];

    /// <summary>Labels to merge, in order: the first is the base the others merge into.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
    public Labels[] InputObject { get; set; } = [];

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter]
    public VideoMatch VideoMatch { get; set; } = VideoMatch.Auto;

    [Parameter]
    public FrameMergeStrategy FrameStrategy { get; set; } = FrameMergeStrategy.Auto;

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double PoseTolerance { get; set; } = 5.0;

    /// <summary>Emit a MergeReport (what was matched, added, replaced, in conflict) whose Labels property holds the result.</summary>
    [Parameter]
    public SwitchParameter AsReport { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ObjectSet)
        {
            _inputs.AddRange(InputObject.Where(l => l is not null));
            return;
        }
        foreach (string path in ResolveInputPaths(Path, LiteralPath))
        {
            try
            {
                _inputs.Add(LabelsReader.Read(path));
            }
            catch (SleapException ex)
            {
                Fail(ex, "LabelsReadFailed");
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_inputs.Count == 0) return;
        var options = OrFail(() => new MergeOptions { VideoMatch = VideoMatch, FrameStrategy = FrameStrategy, PoseTolerance = PoseTolerance }, "InvalidMergeOption");
        MergeReport report;
        try
        {
            report = OrFail(() => LabelsMerge.Merge(_inputs, options, StopToken), "MergeFailed");
        }
        catch (OperationCanceledException)
        {
            return;   // Ctrl+C: nothing was changed, nothing is emitted
        }
        WriteVerbose(report.ToString());
        foreach (var conflict in report.Conflicts) WriteVerbose(conflict.ToString());
        WriteObject(AsReport ? report : report.Labels);
    }
}
