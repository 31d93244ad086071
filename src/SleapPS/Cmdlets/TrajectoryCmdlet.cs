using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Trajectories;

namespace SleapPS.Cmdlets;

/// <summary>
/// A trajectory-cleaning cmdlet (docs/design/trajectories.md §8): it emits a changed copy of each labels object, whose
/// TrajectoryChanges property lists what changed per track and node; the input is never changed.
/// </summary>
public abstract class TrajectoryCmdlet : LabelsInputCmdlet
{
    /// <summary>The name of the property of the emitted labels that holds the change rows.</summary>
    public const string ChangesProperty = "TrajectoryChanges";

    /// <summary>The nodes to work on (all when omitted).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Node { get; set; }

    /// <summary>The tracks to work on, by name (all when omitted).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Track { get; set; }

    protected TrajectorySelection Selection => new() { Nodes = Node, Tracks = Track };

    /// <summary>The engine operation.</summary>
    protected abstract TrajectoryResult Apply(Labels labels);

    protected override void ProcessLabels(Labels labels)
    {
        TrajectoryResult result;
        try
        {
            result = Apply(labels);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (SleapException ex)
        {
            // A bad parameter (a node or track the labels lack, a window too long) is reported per labels object.
            Report(ex, "TrajectoryOperationFailed");
            return;
        }
        var changes = result.Changes;
        WriteVerbose($"{labels.SourcePath ?? "Labels"}: {changes.Sum(c => c.Removed)} points removed, {changes.Sum(c => c.Filled)} filled, "
            + $"{changes.Sum(c => c.Smoothed)} smoothed over {changes.Count} track nodes.");
        var output = new PSObject(result.Labels);
        output.Properties.Add(new PSNoteProperty(ChangesProperty, changes.ToArray()));
        WriteObject(output);
    }
}
