using SleapPS.Engine.Data;

namespace SleapPS.Engine.Inference.SleapNn;

/// <summary>
/// What sleap-nn makes of a centroid model run alone (docs/design/sleap-nn-inference.md §8): each centroid becomes an
/// instance of one point, on a one-node skeleton named "centroid" when the model's skeleton has more nodes (its
/// "collapsed" centroid skeleton), else on the model's own; point score and instance score are the centroid's value.
/// </summary>
public static class CentroidInstances
{
    /// <summary>The name of the collapsed skeleton and of its one node (sleap-io's centroid skeleton).</summary>
    public const string NodeName = "centroid";

    /// <summary>The skeleton centroid instances are made on, for a centroid model trained on <paramref name="modelSkeleton"/>.</summary>
    public static Skeleton SkeletonFor(Skeleton modelSkeleton)
    {
        ArgumentNullException.ThrowIfNull(modelSkeleton);
        return modelSkeleton.Nodes.Count == 1 ? modelSkeleton : Skeleton.FromNames(NodeName, [NodeName]);
    }

    /// <summary>
    /// One centroid as an instance of <paramref name="skeleton"/> (from <see cref="SkeletonFor"/>): the point at node 0,
    /// every other node missing; instance score = the value (0 when it is NaN).
    /// </summary>
    public static PredictedInstance Create(Skeleton skeleton, float x, float y, float value)
    {
        var points = new Point[skeleton.Nodes.Count];
        for (int node = 1; node < points.Length; node++)
            points[node] = Point.MissingPredicted;
        points[0] = new Point(x, y, Visible: true, Complete: false, Score: value);
        return new PredictedInstance(skeleton, points, float.IsNaN(value) ? 0.0 : value);
    }
}
