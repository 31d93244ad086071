namespace SleapPS.Engine.Evaluation;

/// <summary>The settings of SLEAP's <c>evaluate(labels_gt, labels_pr, ...)</c>, with its defaults.</summary>
public sealed record EvaluationOptions
{
    /// <summary>κ of the object keypoint similarity, the same for every node. SLEAP's default is 0.025.</summary>
    public double OksStddev { get; init; } = 0.025;

    /// <summary>
    /// The OKS scale (pixels²) for every ground-truth instance; null uses each instance's own bounding-box area,
    /// as SLEAP does by default.
    /// </summary>
    public double? OksScale { get; init; }

    /// <summary>A predicted instance is matched only to a ground-truth instance with an OKS above this. SLEAP's default is 0.</summary>
    public double MatchThreshold { get; init; }

    /// <summary>
    /// True (SLEAP's default): only ground-truth frames with user instances are evaluated, and only user instances
    /// count as ground truth. False: predicted instances of the ground-truth file count as ground truth too.
    /// </summary>
    public bool UserLabelsOnly { get; init; } = true;

    /// <summary>The options SLEAP's evaluate uses when given no arguments.</summary>
    public static EvaluationOptions Default { get; } = new();
}
