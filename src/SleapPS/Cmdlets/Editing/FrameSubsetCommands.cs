using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Cmdlets.Editing;

/// <summary>Frames kept or removed: the engine's <see cref="LabelsSubset.KeepFrames"/> behind Select-SleapFrame and Remove-SleapFrame.</summary>
public abstract class FrameSubsetCmdlet : SubsetCmdlet<LabeledFrame>
{
    protected override IEnumerable<LabeledFrame> ItemsOf(Labels labels) => labels.LabeledFrames;

    protected override string ItemsName => "frames";

    protected override Labels Kept(Labels labels, Func<LabeledFrame, bool> keep)
    {
        var (result, counts) = LabelsSubset.KeepFrames(labels, keep, InPlace);
        WriteVerbose($"{counts.FramesRemoved} frames ({counts.InstancesRemoved} instances) removed; {result.LabeledFrames.Count} frames left.");
        return result;
    }
}

/// <summary>Keeps only the labelled frames chosen by a script block or piped in (what Where-Object passes).</summary>
[Cmdlet(VerbsCommon.Select, "SleapFrame", DefaultParameterSetName = ScriptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Labels))]
public sealed class SelectSleapFrameCommand : FrameSubsetCmdlet
{
    protected override bool KeepsChosen => true;
}

/// <summary>Removes the labelled frames chosen by a script block or piped in.</summary>
[Cmdlet(VerbsCommon.Remove, "SleapFrame", DefaultParameterSetName = ScriptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Labels))]
public sealed class RemoveSleapFrameCommand : FrameSubsetCmdlet
{
    protected override bool KeepsChosen => false;
}
