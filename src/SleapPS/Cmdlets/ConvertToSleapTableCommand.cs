using System.Management.Automation;
using SleapPS.Engine.Data;

namespace SleapPS.Cmdlets;

/// <summary>What one output row of ConvertTo-SleapTable stands for.</summary>
public enum SleapTableRow
{
    Point,
    Instance,
}

/// <summary>
/// Flattens labels into rows for Where-Object, Group-Object, Measure-Object and Export-Csv:
/// one row per point (the default) or one row per instance with a column per node coordinate.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "SleapTable")]
[OutputType(typeof(PointRow), typeof(PSObject))]
public sealed class ConvertToSleapTableCommand : SleapCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    /// <summary>Point: one row per node of each instance. Instance: one row per instance.</summary>
    [Parameter]
    public SleapTableRow By { get; set; } = SleapTableRow.Point;

    /// <summary>Also emit points that have no coordinates or are marked invisible (their X and Y are NaN or kept as labelled).</summary>
    [Parameter]
    public SwitchParameter IncludeMissing { get; set; }

    protected override void ProcessRecord()
    {
        if (By == SleapTableRow.Point)
        {
            foreach (var row in LabelsTable.Points(InputObject, IncludeMissing))
                WriteObject(row);
            return;
        }
        foreach (var row in LabelsTable.Instances(InputObject))
            WriteObject(ToPSObject(row));
    }

    /// <summary>
    /// An instance row with SLEAP's CSV column names for the nodes (head.x, head.y, head.score),
    /// so that Export-Csv writes what SLEAP users expect.
    /// </summary>
    private static PSObject ToPSObject(InstanceRow row)
    {
        var result = new PSObject();
        result.TypeNames.Insert(0, "SleapPS.InstanceRow");
        result.Properties.Add(new PSNoteProperty("Video", row.Video));
        result.Properties.Add(new PSNoteProperty("Frame", row.Frame));
        result.Properties.Add(new PSNoteProperty("Track", row.Track));
        result.Properties.Add(new PSNoteProperty("Instance", row.Instance));
        result.Properties.Add(new PSNoteProperty("IsPredicted", row.IsPredicted));
        result.Properties.Add(new PSNoteProperty("Score", row.Score));
        result.Properties.Add(new PSNoteProperty("TrackingScore", row.TrackingScore));
        var nodes = row.Skeleton.Nodes;
        for (int n = 0; n < row.Points.Length; n++)
        {
            var point = row.Points[n];
            bool present = point.IsPresent;
            result.Properties.Add(new PSNoteProperty(nodes[n].Name + ".x", present ? point.X : double.NaN));
            result.Properties.Add(new PSNoteProperty(nodes[n].Name + ".y", present ? point.Y : double.NaN));
            result.Properties.Add(new PSNoteProperty(nodes[n].Name + ".score", point.Score));
        }
        return result;
    }
}
