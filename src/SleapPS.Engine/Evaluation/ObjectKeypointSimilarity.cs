namespace SleapPS.Engine.Evaluation;

/// <summary>
/// SLEAP's <c>compute_oks</c> (docs/design/evaluation.md §2): the object keypoint similarity between a ground-truth and a
/// predicted instance, COCO-style by default.
/// </summary>
public static class ObjectKeypointSimilarity
{
    /// <summary>numpy's np.spacing(1), added to the scale so a zero-area instance does not divide by zero.</summary>
    private const double Epsilon = 2.220446049250313e-16;

    /// <param name="groundTruth">The reference instance; its missing nodes are not counted.</param>
    /// <param name="predicted">The prediction; its missing nodes score 0.</param>
    /// <param name="scale">Pixels²; null uses the ground truth's bounding-box area.</param>
    /// <param name="stddev">κ, the same for every node.</param>
    /// <param name="useCocoEval">True: normaliser (2κ)²·2·(scale+ε), as pycocotools. False: κ²·2·(scale+ε)², as the paper.</param>
    /// <returns>Mean keypoint similarity over the ground truth's present nodes; NaN when it has none.</returns>
    public static double Compute(PointsArray groundTruth, PointsArray predicted, double? scale = null, double stddev = 0.025, bool useCocoEval = true)
    {
        if (groundTruth.NodeCount != predicted.NodeCount)
            throw new ArgumentException($"The ground truth has {groundTruth.NodeCount} nodes but the prediction has {predicted.NodeCount}.", nameof(predicted));

        double area = scale ?? groundTruth.BoundingBoxArea();
        double normaliser = useCocoEval
            ? (2 * stddev) * (2 * stddev) * (2 * (area + Epsilon))
            : stddev * stddev * (2 * ((area + Epsilon) * (area + Epsilon)));

        double sum = 0;
        int present = 0;
        for (int node = 0; node < groundTruth.NodeCount; node++)
        {
            if (groundTruth.IsMissing(node)) continue; // counts neither as similarity nor in the denominator
            present++;
            double squared = predicted.IsMissing(node)
                ? double.PositiveInfinity
                : Square(groundTruth.X(node) - predicted.X(node)) + Square(groundTruth.Y(node) - predicted.Y(node));
            sum += Math.Exp(-(squared / normaliser));
        }
        return sum / present; // 0/0 = NaN for a ground truth without a present node, as in SLEAP
    }

    private static double Square(double value) => value * value;
}
