using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Filtering;

namespace SleapPS.Cmdlets.Editing;

/// <summary>
/// Keeps the instances chosen by a script block ($_ the instance, $frame its frame), piped in (what Where-Object passes),
/// or passing sleap-nn's instance filters (-MinVisibleNodes, -MinInstanceScore, -OverlapMethod): the same filters
/// Invoke-SleapPredict runs before tracking, on labels that exist. Not a <see cref="SubsetCmdlet{TItem}"/>: its -Labels
/// binds in the Rules set too, which a base's declaration of -Labels cannot gain; it runs the script as they do.
/// </summary>
[Cmdlet(VerbsCommon.Select, "SleapInstance", DefaultParameterSetName = ScriptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Labels))]
public sealed class SelectSleapInstanceCommand : LabelsEditCmdlet
{
    private const string ScriptSet = "FilterScript";
    private const string ObjectSet = "InputObject";
    private const string RulesSet = "Rules";

    private readonly HashSet<Instance> _chosen = new(ReferenceEqualityComparer.Instance);
    private Labels? _labels;

    [Parameter(Mandatory = true, ParameterSetName = ScriptSet, ValueFromPipeline = true)]
    [Parameter(Mandatory = true, ParameterSetName = RulesSet, ValueFromPipeline = true)]
    [Parameter(Mandatory = true, ParameterSetName = ObjectSet)]
    public Labels Labels { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ScriptSet)]
    public ScriptBlock FilterScript { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
    public Instance[] InputObject { get; set; } = [];

    [Parameter(ParameterSetName = RulesSet)]
    [ValidateRange(0, int.MaxValue)]
    public int MinVisibleNodes { get; set; }

    [Parameter(ParameterSetName = RulesSet)]
    [ValidateRange(0.0, double.MaxValue)]
    public double MinInstanceScore { get; set; }

    [Parameter(ParameterSetName = RulesSet)]
    public OverlapMethod OverlapMethod { get; set; } = OverlapMethod.None;

    [Parameter(ParameterSetName = RulesSet)]
    [ValidateRange(0.0, 1.0)]
    public double OverlapThreshold { get; set; } = 0.8;

    /// <summary>Also drop frames left without instances.</summary>
    [Parameter]
    public SwitchParameter DropEmptyFrames { get; set; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case ObjectSet:
                _labels = Labels;
                foreach (var instance in InputObject)
                    if (instance is not null) _chosen.Add(instance);
                return;
            case RulesSet:
                ApplyRules();
                return;
            default:
                if (FilterScriptNodes.Check(FilterScript, Labels) is { } unknown) Fail(unknown, "NodeNotFound");
                if (!MayEdit(Labels, "Keep only the instances chosen")) return;
                Emit(InstanceSubset.Kept(Labels, (frame, instance) => Chooses(instance, frame), DropEmptyFrames, InPlace, WriteVerbose));
                return;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != ObjectSet || _labels is null) return;
        SubsetCmdlet<Instance>.WarnAboutStrangers(this, _chosen, _labels.AllInstances, nameof(Instance));
        if (!MayEdit(_labels, "Keep only the instances chosen")) return;
        Emit(InstanceSubset.Kept(_labels, (_, instance) => _chosen.Contains(instance), DropEmptyFrames, InPlace, WriteVerbose));
    }

    /// <summary>sleap-nn's filters, frame by frame: the filter judges a frame's instances together (overlaps), so its verdicts are taken per frame.</summary>
    private void ApplyRules()
    {
        var filter = OrFail(() => new InstanceFilter(MinVisibleNodes, MinInstanceScore, OverlapMethod, OverlapThreshold), InferenceParameters.InvalidSettingErrorId);
        if (!MayEdit(Labels, "Remove the instances sleap-nn's filters reject")) return;
        var survivors = new HashSet<Instance>(ReferenceEqualityComparer.Instance);
        var scratch = new List<Instance>();
        foreach (var frame in Labels.LabeledFrames)
        {
            scratch.Clear();
            scratch.AddRange(frame.Instances);
            filter.Apply(scratch);
            survivors.UnionWith(scratch);
        }
        WriteVerbose(filter.Counts.ToString());
        Emit(InstanceSubset.Kept(Labels, (_, instance) => survivors.Contains(instance), DropEmptyFrames, InPlace, WriteVerbose));
    }

    private bool Chooses(Instance instance, LabeledFrame frame) =>
        SubsetCmdlet<Instance>.Chooses(FilterScript, instance, InstanceSubset.FrameVariable(frame));
}
