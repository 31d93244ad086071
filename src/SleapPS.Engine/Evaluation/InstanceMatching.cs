using SleapPS.Engine.Data;

namespace SleapPS.Engine.Evaluation;

/// <summary>A ground-truth instance and the prediction matched to it, with their OKS.</summary>
public sealed record MatchedPair(Instance GroundTruth, PredictedInstance Predicted, double Oks, LabeledFrame Frame)
{
    public long FrameIndex => Frame.FrameIndex;

    /// <summary>The ground-truth video's filename as stored, what SLEAP reports as the pair's video path.</summary>
    public string VideoPath => Frame.Video.Filename;
}

/// <summary>The matches of one or more frame pairs and the ground-truth instances left without a match.</summary>
public sealed record InstanceMatches(List<MatchedPair> Pairs, List<Instance> FalseNegatives);

/// <summary>SLEAP's <c>match_instances</c> (docs/design/evaluation.md §3): PASCAL-VOC-style greedy matching by OKS.</summary>
public static class InstanceMatching
{
    /// <summary>
    /// Predictions, highest instance score first, each take the still unmatched ground-truth instance with the highest
    /// OKS above the threshold. Ground truth left over is a false negative; predictions left over are dropped (SLEAP
    /// counts no false positives).
    /// </summary>
    /// <exception cref="SleapException">A prediction and a ground-truth instance have different numbers of nodes.</exception>
    public static InstanceMatches Match(FramePair frames, EvaluationOptions options)
    {
        var groundTruth = (options.UserLabelsOnly ? frames.GroundTruth.UserInstances : frames.GroundTruth.Instances).ToList();
        var groundTruthPoints = groundTruth.Select(i => new PointsArray(i)).ToArray();
        var available = Enumerable.Range(0, groundTruth.Count).ToList();

        // Only predicted instances have a score; SLEAP orders and matches those.
        var predictions = frames.Predicted.PredictedInstances.ToList();
        var order = NumpyMath.ArgsortDescendingStable(predictions.Select(p => p.Score).ToArray());

        var pairs = new List<MatchedPair>();
        foreach (int index in order)
        {
            if (available.Count == 0) break;
            var prediction = predictions[index];
            var predictionPoints = new PointsArray(prediction);

            int best = -1;
            double bestOks = double.NaN;
            for (int slot = 0; slot < available.Count; slot++)
            {
                var candidatePoints = groundTruthPoints[available[slot]];
                RequireSameNodeCount(frames, groundTruth[available[slot]], prediction);
                double oks = ObjectKeypointSimilarity.Compute(candidatePoints, predictionPoints, options.OksScale, options.OksStddev);
                // SLEAP sets OKS <= threshold to NaN and takes the first highest; NaN never wins, ties go to the earlier one.
                if (!(oks > options.MatchThreshold)) continue;
                if (best < 0 || oks > bestOks) { best = slot; bestOks = oks; }
            }
            if (best < 0) continue;

            pairs.Add(new MatchedPair(groundTruth[available[best]], prediction, bestOks, frames.GroundTruth));
            available.RemoveAt(best);
        }
        return new InstanceMatches(pairs, available.Select(i => groundTruth[i]).ToList());
    }

    /// <summary>SLEAP's <c>match_frame_pairs</c>: the matches of every frame pair, in frame-pair order.</summary>
    public static InstanceMatches Match(IEnumerable<FramePair> framePairs, EvaluationOptions options)
    {
        var all = new InstanceMatches(new List<MatchedPair>(), new List<Instance>());
        foreach (var frames in framePairs)
        {
            var matches = Match(frames, options);
            all.Pairs.AddRange(matches.Pairs);
            all.FalseNegatives.AddRange(matches.FalseNegatives);
        }
        return all;
    }

    private static void RequireSameNodeCount(FramePair frames, Instance groundTruth, PredictedInstance prediction)
    {
        if (groundTruth.Points.Length == prediction.Points.Length) return;
        throw new SleapException(SleapErrorKind.InvalidData,
            $"Frame {frames.GroundTruth.FrameIndex} of '{frames.GroundTruth.Video.Filename}': a ground-truth instance has {groundTruth.Points.Length} nodes " +
            $"(skeleton '{groundTruth.Skeleton.Name}') but a predicted instance has {prediction.Points.Length} (skeleton '{prediction.Skeleton.Name}'). " +
            "Compare predictions made with a model trained on the ground truth's skeleton.");
    }
}
