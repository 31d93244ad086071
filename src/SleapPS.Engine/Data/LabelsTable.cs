namespace SleapPS.Engine.Data;

/// <summary>One node of one instance, flattened for ad-hoc filtering, grouping and CSV export.</summary>
public sealed record PointRow(
    string Video,
    long Frame,
    string? Track,
    int Instance,
    string Node,
    double X,
    double Y,
    double Score,
    bool Visible,
    bool IsPredicted,
    double InstanceScore);

/// <summary>One instance with its points in skeleton order, flattened for ad-hoc wrangling.</summary>
public sealed record InstanceRow(
    string Video,
    long Frame,
    string? Track,
    int Instance,
    bool IsPredicted,
    double Score,
    double TrackingScore,
    Skeleton Skeleton,
    Point[] Points);

/// <summary>
/// Flattens labels into rows: one per instance, or one per point. Rows come in labelled-frame
/// order; <c>Instance</c> is the instance's position within its frame.
/// </summary>
public static class LabelsTable
{
    public static IEnumerable<InstanceRow> Instances(Labels labels)
    {
        foreach (var frame in labels.LabeledFrames)
        {
            for (int i = 0; i < frame.Instances.Count; i++)
            {
                var instance = frame.Instances[i];
                var predicted = instance as PredictedInstance;
                yield return new InstanceRow(
                    frame.Video.Filename, frame.FrameIndex, instance.Track?.Name, i, instance.IsPredicted,
                    predicted?.Score ?? double.NaN, predicted?.TrackingScore ?? double.NaN,
                    instance.Skeleton, instance.Points);
            }
        }
    }

    /// <param name="includeMissing">Also emit rows for nodes without coordinates or marked invisible.</param>
    public static IEnumerable<PointRow> Points(Labels labels, bool includeMissing = false)
    {
        foreach (var row in Instances(labels))
        {
            var nodes = row.Skeleton.Nodes;
            for (int n = 0; n < row.Points.Length; n++)
            {
                var point = row.Points[n];
                if (!includeMissing && !point.IsPresent) continue;
                yield return new PointRow(
                    row.Video, row.Frame, row.Track, row.Instance, nodes[n].Name,
                    point.X, point.Y, point.Score, point.Visible, row.IsPredicted, row.Score);
            }
        }
    }
}
