using SleapPS.Engine.Data;

namespace SleapPS.Engine.Evaluation;

/// <summary>SLEAP's <c>sleap.nn.evals.evaluate</c>: how closely predictions match ground-truth labels.</summary>
public static class Evaluator
{
    /// <summary>
    /// Pairs the frames of the two labels, matches instances by OKS and computes every metric SLEAP computes
    /// (docs/design/evaluation.md §1–§7).
    /// </summary>
    /// <exception cref="SleapException">
    /// No labelled ground-truth frame has a prediction frame (NotFound; SLEAP returns an empty dictionary), the predictions
    /// hold two frames for one video frame, or the two skeletons have different numbers of nodes (InvalidData).
    /// </exception>
    public static EvaluationMetrics Evaluate(Labels groundTruth, Labels predicted, EvaluationOptions? options = null)
    {
        options ??= EvaluationOptions.Default;
        var framePairs = FramePairing.Find(groundTruth, predicted, options.UserLabelsOnly);
        if (framePairs.Count == 0) throw NoFramePairs(groundTruth, predicted, options);

        var matches = InstanceMatching.Match(framePairs, options);
        var nodeNames = NodeNamesOf(groundTruth, matches);
        var distances = DistanceMetrics.Distances(matches.Pairs);
        var pck = PckMetrics.Compute(distances, nodeNames.Count);

        return new EvaluationMetrics(
            options,
            nodeNames,
            framePairs,
            matches,
            distances,
            DistanceSummary.Of(distances.SelectMany(row => row)),
            pck,
            VisibilityMetrics.Compute(matches.Pairs),
            VocMetrics.Compute(matches.Pairs, matches.FalseNegatives.Count, matches.Pairs.Select(p => p.Oks).ToArray()),
            VocMetrics.Compute(matches.Pairs, matches.FalseNegatives.Count, pck.PerPair),
            PerNode(nodeNames, distances, pck));
    }

    /// <summary>The ground truth's skeleton nodes (of the first matched instance, else of the labels).</summary>
    private static List<string> NodeNamesOf(Labels groundTruth, InstanceMatches matches)
    {
        var skeleton = matches.Pairs.FirstOrDefault()?.GroundTruth.Skeleton
                       ?? matches.FalseNegatives.FirstOrDefault()?.Skeleton
                       ?? groundTruth.Skeleton;
        return skeleton?.NodeNames.ToList() ?? new List<string>();
    }

    private static List<NodeAccuracy> PerNode(List<string> nodeNames, double[][] distances, PckMetrics pck)
    {
        var perNode = new List<NodeAccuracy>(nodeNames.Count);
        for (int node = 0; node < nodeNames.Count; node++)
        {
            var column = distances.Select(row => row[node]).ToArray();
            var summary = DistanceSummary.Of(column);
            perNode.Add(new NodeAccuracy(nodeNames[node], node, pck.PerNode[node], summary.Average,
                summary.P50, summary.P75, summary.P90, summary.P95, summary.P99,
                column.Count(d => !double.IsNaN(d)), column.Length));
        }
        return perNode;
    }

    private static SleapException NoFramePairs(Labels groundTruth, Labels predicted, EvaluationOptions options)
    {
        string gt = groundTruth.SourcePath is null ? "the ground truth" : $"'{groundTruth.SourcePath}'";
        string pr = predicted.SourcePath is null ? "the predictions" : $"'{predicted.SourcePath}'";
        string which = options.UserLabelsOnly ? "with user instances " : "";
        return new SleapException(SleapErrorKind.NotFound,
            $"Nothing to evaluate: no labelled frame {which}of {gt} has a predicted frame in {pr} with the same video and frame index. " +
            "Check that the predictions were made on the ground truth's video (same filename) and frames.",
            predicted.SourcePath ?? groundTruth.SourcePath);
    }
}
