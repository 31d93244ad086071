namespace SleapPS.Engine.Evaluation;

/// <summary>
/// SLEAP's evaluation metrics for a set of predictions against ground truth (docs/design/evaluation.md). The headline numbers are
/// properties; the arrays SLEAP stores are here too, and <see cref="ToSleapDictionary"/> gives them under SLEAP's keys.
/// </summary>
public sealed class EvaluationMetrics
{
    internal EvaluationMetrics(
        EvaluationOptions options,
        IReadOnlyList<string> nodeNames,
        IReadOnlyList<FramePair> framePairs,
        InstanceMatches matches,
        double[][] distances,
        DistanceSummary distanceSummary,
        PckMetrics pck,
        VisibilityMetrics visibility,
        VocMetrics oksVoc,
        VocMetrics pckVoc,
        IReadOnlyList<NodeAccuracy> perNode)
    {
        Options = options;
        NodeNames = nodeNames;
        FramePairs = framePairs;
        MatchedPairs = matches.Pairs;
        FalseNegatives = matches.FalseNegatives;
        Distances = distances;
        DistanceSummary = distanceSummary;
        Pck = pck;
        Visibility = visibility;
        OksVoc = oksVoc;
        PckVoc = pckVoc;
        PerNode = perNode;
        PairOks = matches.Pairs.Select(p => p.Oks).ToArray();
    }

    public EvaluationOptions Options { get; }

    /// <summary>The skeleton's node names, in the order of every per-node array.</summary>
    public IReadOnlyList<string> NodeNames { get; }

    // ---- Headline numbers ----

    /// <summary>oks.mOKS: mean OKS of the matched pairs.</summary>
    public double MeanOks => PairOks.Length == 0 ? double.NaN : PairOks.Sum() / PairOks.Length;

    /// <summary>oks_voc.mAP.</summary>
    public double OksMap => OksVoc.MeanAveragePrecision;

    /// <summary>oks_voc.mAR.</summary>
    public double OksMar => OksVoc.MeanAverageRecall;

    /// <summary>pck_voc.mAP.</summary>
    public double PckMap => PckVoc.MeanAveragePrecision;

    /// <summary>pck_voc.mAR.</summary>
    public double PckMar => PckVoc.MeanAverageRecall;

    /// <summary>pck.mPCK: mean PCK over nodes and thresholds 1..10 px.</summary>
    public double MeanPck => Pck.Mean;

    /// <summary>dist.avg, in pixels.</summary>
    public double DistanceAverage => DistanceSummary.Average;
    public double DistanceP50 => DistanceSummary.P50;
    public double DistanceP75 => DistanceSummary.P75;
    public double DistanceP90 => DistanceSummary.P90;
    public double DistanceP95 => DistanceSummary.P95;
    public double DistanceP99 => DistanceSummary.P99;

    /// <summary>vis.precision: of the nodes the matched predictions have, the share the ground truth has too.</summary>
    public double VisibilityPrecision => Visibility.Precision;

    /// <summary>vis.recall: of the nodes the ground truth has, the share the matched predictions have too.</summary>
    public double VisibilityRecall => Visibility.Recall;

    /// <summary>Ground-truth frames that have a prediction frame (the frames evaluated).</summary>
    public int FrameCount => FramePairs.Count;

    /// <summary>Ground-truth instances in the evaluated frames: matched plus false negatives.</summary>
    public int GroundTruthInstanceCount => MatchedPairs.Count + FalseNegatives.Count;

    public int MatchedCount => MatchedPairs.Count;

    /// <summary>Ground-truth instances no prediction was matched to.</summary>
    public int FalseNegativeCount => FalseNegatives.Count;

    // ---- Detail ----

    /// <summary>Per node: mPCK and distance statistics.</summary>
    public IReadOnlyList<NodeAccuracy> PerNode { get; }

    public IReadOnlyList<FramePair> FramePairs { get; }

    /// <summary>The matched (ground truth, prediction, OKS) pairs, in frame order; every per-pair array follows this order.</summary>
    public IReadOnlyList<MatchedPair> MatchedPairs { get; }

    public IReadOnlyList<Data.Instance> FalseNegatives { get; }

    /// <summary>Per pair: its OKS.</summary>
    public double[] PairOks { get; }

    /// <summary>Per pair: its PCK (the pck_voc match score).</summary>
    public double[] PairPck => Pck.PerPair;

    /// <summary>dist.dists: [pair][node] distance in pixels, NaN where either instance lacks the node.</summary>
    public double[][] Distances { get; }

    public DistanceSummary DistanceSummary { get; }
    public PckMetrics Pck { get; }
    public VisibilityMetrics Visibility { get; }
    public VocMetrics OksVoc { get; }
    public VocMetrics PckVoc { get; }

    /// <summary>
    /// The metrics under the keys of SLEAP's metrics dictionary (what <c>sleap.nn.evals.evaluate</c> returns and
    /// <c>metrics.&lt;split&gt;.npz</c> stores). Scalars are double or long, arrays are double[], double[][] or bool[][][].
    /// </summary>
    public IReadOnlyDictionary<string, object> ToSleapDictionary()
    {
        var metrics = new Dictionary<string, object>
        {
            ["vis.tp"] = Visibility.TruePositives,
            ["vis.fp"] = Visibility.FalsePositives,
            ["vis.tn"] = Visibility.TrueNegatives,
            ["vis.fn"] = Visibility.FalseNegatives,
            ["vis.precision"] = Visibility.Precision,
            ["vis.recall"] = Visibility.Recall,
            ["dist.frame_idxs"] = MatchedPairs.Select(p => p.FrameIndex).ToArray(),
            ["dist.video_paths"] = MatchedPairs.Select(p => p.VideoPath).ToArray(),
            ["dist.dists"] = Distances,
            ["dist.avg"] = DistanceSummary.Average,
            ["dist.p50"] = DistanceSummary.P50,
            ["dist.p75"] = DistanceSummary.P75,
            ["dist.p90"] = DistanceSummary.P90,
            ["dist.p95"] = DistanceSummary.P95,
            ["dist.p99"] = DistanceSummary.P99,
            ["pck.thresholds"] = Pck.Thresholds,
            ["pck.pcks"] = Pck.Hits,
            ["pck.mPCK_parts"] = Pck.PerNode,
            ["pck.mPCK"] = Pck.Mean,
            ["oks.mOKS"] = MeanOks,
        };
        AddVoc(metrics, "oks_voc", OksVoc);
        AddVoc(metrics, "pck_voc", PckVoc);
        return metrics;
    }

    private static void AddVoc(Dictionary<string, object> metrics, string name, VocMetrics voc)
    {
        metrics[name + ".match_score_thresholds"] = voc.MatchScoreThresholds;
        metrics[name + ".recall_thresholds"] = voc.RecallThresholds;
        metrics[name + ".match_scores"] = voc.MatchScores;
        metrics[name + ".precisions"] = voc.Precisions;
        metrics[name + ".recalls"] = voc.Recalls;
        metrics[name + ".AP"] = voc.AveragePrecisions;
        metrics[name + ".AR"] = voc.AverageRecalls;
        metrics[name + ".mAP"] = voc.MeanAveragePrecision;
        metrics[name + ".mAR"] = voc.MeanAverageRecall;
    }

    public override string ToString() =>
        $"mOKS {MeanOks:0.####}, OKS mAP {OksMap:0.####}, mPCK {MeanPck:0.####}, median error {DistanceP50:0.###} px ({FrameCount} frames, {MatchedCount}/{GroundTruthInstanceCount} instances matched)";
}
