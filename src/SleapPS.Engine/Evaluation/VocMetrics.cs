namespace SleapPS.Engine.Evaluation;

/// <summary>
/// SLEAP's <c>compute_generalized_voc_metrics</c> (docs/design/evaluation.md §7): PASCAL-VOC-style average precision and recall
/// of the matched pairs, a pair counting as a true positive at a threshold when its match score (OKS, or PCK) reaches it.
/// </summary>
public sealed class VocMetrics
{
    /// <summary>numpy's np.spacing(1), added to SLEAP's precision denominator.</summary>
    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>SLEAP's match-score thresholds: np.linspace(0.5, 0.95, 10).</summary>
    public static double[] DefaultMatchScoreThresholds => NumpyMath.Linspace(0.5, 0.95, 10);

    /// <summary>SLEAP's recall thresholds: np.linspace(0, 1, 101).</summary>
    public static double[] DefaultRecallThresholds => NumpyMath.Linspace(0, 1, 101);

    private VocMetrics(double[] matchScoreThresholds, double[] recallThresholds, double[] matchScores, double[][] precisions, double[] recalls)
    {
        MatchScoreThresholds = matchScoreThresholds;
        RecallThresholds = recallThresholds;
        MatchScores = matchScores;
        Precisions = precisions;
        Recalls = recalls;
        AveragePrecisions = precisions.Select(row => row.Sum() / row.Length).ToArray();
        MeanAveragePrecision = precisions.Sum(row => row.Sum()) / (precisions.Length * (double)recallThresholds.Length);
        MeanAverageRecall = recalls.Sum() / recalls.Length;
    }

    public double[] MatchScoreThresholds { get; }
    public double[] RecallThresholds { get; }

    /// <summary>The pairs' match scores, ordered by the predicted instance's score, highest first.</summary>
    public double[] MatchScores { get; }

    /// <summary>[match threshold][recall threshold]: the interpolated precision.</summary>
    public double[][] Precisions { get; }

    /// <summary>Per match threshold: the recall over all ground-truth instances.</summary>
    public double[] Recalls { get; }

    /// <summary>AP: per match threshold, the mean of <see cref="Precisions"/> over the recall thresholds.</summary>
    public double[] AveragePrecisions { get; }

    /// <summary>AR: the same numbers as <see cref="Recalls"/>.</summary>
    public double[] AverageRecalls => Recalls;

    /// <summary>mAP: the mean of every precision, over match and recall thresholds.</summary>
    public double MeanAveragePrecision { get; }

    /// <summary>mAR: the mean of <see cref="Recalls"/>.</summary>
    public double MeanAverageRecall { get; }

    /// <param name="pairs">The matched pairs; their predicted instances' scores set the ranking.</param>
    /// <param name="falseNegativeCount">Ground-truth instances without a match; they lower recall.</param>
    /// <param name="matchScores">One score per pair, in pair order.</param>
    public static VocMetrics Compute(IReadOnlyList<MatchedPair> pairs, int falseNegativeCount, IReadOnlyList<double> matchScores,
        double[]? matchScoreThresholds = null, double[]? recallThresholds = null)
    {
        if (matchScores.Count != pairs.Count) throw new ArgumentException("One match score per pair is needed.", nameof(matchScores));
        matchScoreThresholds ??= DefaultMatchScoreThresholds;
        recallThresholds ??= DefaultRecallThresholds;

        var order = NumpyMath.ArgsortDescendingStable(pairs.Select(p => p.Predicted.Score).ToArray());
        var ranked = order.Select(i => matchScores[i]).ToArray();
        int groundTruthCount = pairs.Count + falseNegativeCount;

        var precisions = new double[matchScoreThresholds.Length][];
        var recalls = new double[matchScoreThresholds.Length];
        var recallAt = new double[ranked.Length];
        var precisionAt = new double[ranked.Length];
        for (int m = 0; m < matchScoreThresholds.Length; m++)
        {
            int truePositives = 0, falsePositives = 0;
            for (int i = 0; i < ranked.Length; i++)
            {
                if (ranked[i] >= matchScoreThresholds[m]) truePositives++;
                else falsePositives++;
                recallAt[i] = (double)truePositives / groundTruthCount;
                precisionAt[i] = truePositives / (falsePositives + truePositives + Epsilon);
            }
            // SLEAP would fail here without any pair (rc[-1] of an empty array); no pair means no recall.
            recalls[m] = ranked.Length > 0 ? recallAt[^1] : 0.0;

            // Precision envelope: never increasing with rank.
            for (int i = ranked.Length - 1; i > 0; i--)
                if (precisionAt[i] > precisionAt[i - 1]) precisionAt[i - 1] = precisionAt[i];

            var row = precisions[m] = new double[recallThresholds.Length];
            for (int r = 0; r < recallThresholds.Length; r++)
            {
                int index = SearchSortedLeft(recallAt, recallThresholds[r]);
                row[r] = index < ranked.Length ? precisionAt[index] : 0.0;
            }
        }
        return new VocMetrics(matchScoreThresholds, recallThresholds, ranked, precisions, recalls);
    }

    /// <summary>np.searchsorted(sorted, value, side="left"): the first index whose value is not below <paramref name="value"/>.</summary>
    private static int SearchSortedLeft(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < value) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
