namespace SleapPS.Engine.Evaluation;

/// <summary>Mean and percentiles of localisation errors in pixels (docs/design/evaluation.md §4).</summary>
public sealed record DistanceSummary(double Average, double P50, double P75, double P90, double P95, double P99)
{
    /// <summary>
    /// SLEAP's <c>compute_dist_metrics</c> over any set of distances: nanmean, and np.percentile (linear) of the
    /// non-NaN ones; NaN throughout when none is known.
    /// </summary>
    public static DistanceSummary Of(IEnumerable<double> distances)
    {
        var list = distances as IReadOnlyCollection<double> ?? distances.ToList();
        double average = NumpyMath.NanMean(list);
        var sorted = NumpyMath.SortedNonNaN(list);
        if (sorted.Length == 0) return new DistanceSummary(average, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        return new DistanceSummary(average,
            NumpyMath.Percentile(sorted, 50), NumpyMath.Percentile(sorted, 75), NumpyMath.Percentile(sorted, 90),
            NumpyMath.Percentile(sorted, 95), NumpyMath.Percentile(sorted, 99));
    }
}

/// <summary>SLEAP's <c>compute_dists</c>: per matched pair and node, ‖predicted − ground truth‖₂, NaN where either is missing.</summary>
public static class DistanceMetrics
{
    public static double[][] Distances(IReadOnlyList<MatchedPair> pairs)
    {
        var distances = new double[pairs.Count][];
        for (int p = 0; p < pairs.Count; p++)
        {
            var groundTruth = new PointsArray(pairs[p].GroundTruth);
            var predicted = new PointsArray(pairs[p].Predicted);
            var row = distances[p] = new double[groundTruth.NodeCount];
            for (int node = 0; node < row.Length; node++) row[node] = groundTruth.DistanceTo(predicted, node);
        }
        return distances;
    }
}
