namespace SleapPS.Engine.Evaluation;

/// <summary>
/// SLEAP's <c>compute_pck_metrics</c> (docs/design/evaluation.md §5): percentage of correct keypoints, a node being correct at a
/// threshold when its distance is strictly below it; a missing node is never correct.
/// </summary>
public sealed class PckMetrics
{
    /// <summary>SLEAP's thresholds: np.linspace(1, 10, 10) pixels.</summary>
    public static double[] DefaultThresholds => NumpyMath.Linspace(1, 10, 10);

    private PckMetrics(double[] thresholds, bool[][][] hits, double[] perNode, double mean, double[] perPair)
    {
        Thresholds = thresholds;
        Hits = hits;
        PerNode = perNode;
        Mean = mean;
        PerPair = perPair;
    }

    public double[] Thresholds { get; }

    /// <summary>[pair][node][threshold]: distance &lt; threshold (SLEAP's pck.pcks).</summary>
    public bool[][][] Hits { get; }

    /// <summary>Per node: mean over pairs, then over thresholds (pck.mPCK_parts).</summary>
    public double[] PerNode { get; }

    /// <summary>Mean of <see cref="PerNode"/> (pck.mPCK).</summary>
    public double Mean { get; }

    /// <summary>Per pair: mean over thresholds, then over nodes; the match score of pck_voc.</summary>
    public double[] PerPair { get; }

    public static PckMetrics Compute(double[][] distances, int nodeCount, double[]? thresholds = null)
    {
        thresholds ??= DefaultThresholds;
        int pairCount = distances.Length, thresholdCount = thresholds.Length;
        var hits = new bool[pairCount][][];
        var hitsPerNodeAndThreshold = new int[nodeCount, thresholdCount];
        var perPair = new double[pairCount];
        for (int p = 0; p < pairCount; p++)
        {
            hits[p] = new bool[nodeCount][];
            double nodeMeans = 0;
            for (int node = 0; node < nodeCount; node++)
            {
                double distance = double.IsNaN(distances[p][node]) ? double.PositiveInfinity : distances[p][node];
                var row = hits[p][node] = new bool[thresholdCount];
                int correct = 0;
                for (int t = 0; t < thresholdCount; t++)
                {
                    row[t] = distance < thresholds[t];
                    if (!row[t]) continue;
                    correct++;
                    hitsPerNodeAndThreshold[node, t]++;
                }
                nodeMeans += (double)correct / thresholdCount;
            }
            perPair[p] = nodeMeans / nodeCount;
        }

        // Same order as SLEAP: mean over pairs first, then over thresholds (0/0 = NaN without pairs).
        var perNode = new double[nodeCount];
        for (int node = 0; node < nodeCount; node++)
        {
            double sum = 0;
            for (int t = 0; t < thresholdCount; t++) sum += (double)hitsPerNodeAndThreshold[node, t] / pairCount;
            perNode[node] = sum / thresholdCount;
        }
        double mean = nodeCount == 0 ? double.NaN : perNode.Sum() / nodeCount;
        return new PckMetrics(thresholds, hits, perNode, mean, perPair);
    }
}
