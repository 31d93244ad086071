namespace SleapPS.Engine.Evaluation;

/// <summary>
/// SLEAP's <c>compute_visibility_conf</c> (docs/design/evaluation.md §6): over matched pairs and nodes, whether the prediction
/// has a node exactly where the ground truth has one.
/// </summary>
public sealed record VisibilityMetrics(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    /// <summary>tp / (tp + fp); NaN when the prediction has no node at all.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>tp / (tp + fn); NaN when the ground truth has no node at all.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalseNegatives);

    public static VisibilityMetrics Compute(IEnumerable<MatchedPair> pairs)
    {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var pair in pairs)
        {
            var groundTruth = new PointsArray(pair.GroundTruth);
            var predicted = new PointsArray(pair.Predicted);
            for (int node = 0; node < groundTruth.NodeCount; node++)
            {
                bool gtMissing = groundTruth.IsMissing(node), prMissing = predicted.IsMissing(node);
                if (!gtMissing && !prMissing) tp++;
                else if (gtMissing && !prMissing) fp++;
                else if (gtMissing) tn++;
                else fn++;
            }
        }
        return new VisibilityMetrics(tp, fp, tn, fn);
    }
}
