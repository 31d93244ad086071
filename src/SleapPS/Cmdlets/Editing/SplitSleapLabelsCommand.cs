using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;
using SleapPS.Engine.Frames;

namespace SleapPS.Cmdlets.Editing;

/// <summary>
/// Splits labels into parts: one per video, one per frame list, or train / val / test fractions drawn with a seed
/// (the same parts on every machine). Each part is a Labels copy with a Part property naming it.
/// </summary>
[Cmdlet(VerbsCommon.Split, "SleapLabels", DefaultParameterSetName = FractionSet)]
[OutputType(typeof(Labels))]
public sealed class SplitSleapLabelsCommand : SleapCmdlet
{
    private const string FractionSet = "Fraction";
    private const string FramesSet = "Frames";
    private const string VideoSet = "Video";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    /// <summary>Fractions of the labelled frames for the train, val and test parts (one to three numbers).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FractionSet)]
    [ValidateCount(1, 3)]
    public double[] Fraction { get; set; } = [];

    /// <summary>The seed of the fraction draw.</summary>
    [Parameter(ParameterSetName = FractionSet)]
    public ulong Seed { get; set; }

    /// <summary>One frame list per part ("0-549", "550-1099"), in FrameList syntax.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FramesSet)]
    [ValidateNotNullOrEmpty]
    public string[] Frames { get; set; } = [];

    /// <summary>One part per video.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VideoSet)]
    public SwitchParameter ByVideo { get; set; }

    protected override void ProcessRecord()
    {
        var parts = OrFail(() => ParameterSetName switch
        {
            VideoSet => LabelsSplit.ByVideo(InputObject),
            FramesSet => LabelsSplit.ByFrames(InputObject, Frames.Select(FrameList.Parse).ToList()),
            _ => LabelsSplit.ByFractions(InputObject, Fraction, Seed),
        }, "InvalidSplit");
        foreach (var part in parts)
        {
            WriteVerbose($"Part '{part.Name}': {part.Labels.LabeledFrames.Count} frames, {part.Labels.InstanceCount} instances.");
            var output = new PSObject(part.Labels);
            output.Properties.Add(new PSNoteProperty("Part", part.Name));
            WriteObject(output);
        }
    }
}
