using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;

namespace SleapPS.Cmdlets.Editing;

/// <summary>Instances kept or removed, with what both instance cmdlets report.</summary>
internal static class InstanceSubset
{
    public static Labels Kept(Labels labels, Func<LabeledFrame, Instance, bool> keep, bool dropEmptyFrames, bool inPlace, Action<string> verbose)
    {
        var (result, counts) = LabelsSubset.KeepInstances(labels, keep, dropEmptyFrames, inPlace);
        verbose($"{counts.InstancesRemoved} instances removed ({counts.FramesRemoved} frames left empty and dropped); {result.InstanceCount} instances left.");
        return result;
    }

    /// <summary>The frame variable a -FilterScript on instances sees beside $_.</summary>
    public static PSVariable FrameVariable(LabeledFrame frame) => new("frame", frame);
}

/// <summary>Removes the instances chosen by a script block ($_ the instance, $frame its frame) or piped in.</summary>
[Cmdlet(VerbsCommon.Remove, "SleapInstance", DefaultParameterSetName = ScriptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Labels))]
public sealed class RemoveSleapInstanceCommand : SubsetCmdlet<Instance>
{
    protected override IEnumerable<Instance> ItemsOf(Labels labels) => labels.AllInstances;

    /// <summary>Also drop frames left without instances.</summary>
    [Parameter]
    public SwitchParameter DropEmptyFrames { get; set; }

    protected override bool KeepsChosen => false;

    protected override string ItemsName => "instances";

    protected override void CheckFilterScript(Labels labels)
    {
        if (FilterScriptNodes.Check(FilterScript, labels) is { } unknown) Fail(unknown, "NodeNotFound");
    }

    protected override Labels Kept(Labels labels, Func<Instance, bool> keep)
    {
        // With a script, $frame is the instance's frame; piped instances are judged by reference alone.
        Func<LabeledFrame, Instance, bool> judge = ParameterSetName == ScriptSet
            ? (frame, instance) => !Chooses(instance, InstanceSubset.FrameVariable(frame))
            : (_, instance) => keep(instance);
        return InstanceSubset.Kept(labels, judge, DropEmptyFrames, InPlace, WriteVerbose);
    }
}
