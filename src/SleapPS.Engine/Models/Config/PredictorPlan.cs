namespace SleapPS.Engine.Models.Config;

/// <summary>The SLEAP predictor a set of models makes (docs/design/inference.md §2).</summary>
public enum PredictorKind
{
    SingleInstance,
    TopDown,
    TopDownMultiClass,
    BottomUp,
    BottomUpMultiClass,
}

/// <summary>Which predictor a set of models makes and which model plays which part.</summary>
/// <param name="Kind">The predictor.</param>
/// <param name="Centroid">Top-down kinds: the centroid model, or null when ground truth stands in for it (docs/design/inference.md §9.6).</param>
/// <param name="Instance">
/// Top-down kinds: the centered-instance (or, for <see cref="PredictorKind.TopDownMultiClass"/>, multi-class top-down)
/// model, or null when ground truth stands in for it. Never null for TopDownMultiClass, unless Main is a whole predictor.
/// </param>
/// <param name="Main">
/// The one model of the single-instance and bottom-up kinds, or a model that is a whole predictor of any kind in one
/// graph (a sleap-nn export: docs/design/sleap-nn-exports.md §5); otherwise null for top-down kinds.
/// </param>
/// <param name="Ignored">Models given that take no part, as SLEAP ignores them (e.g. a bottom-up model next to a centroid model).</param>
public sealed record PredictorPlan(
    PredictorKind Kind,
    TrainingConfig? Centroid,
    TrainingConfig? Instance,
    TrainingConfig? Main,
    IReadOnlyList<TrainingConfig> Ignored)
{
    public bool IsTopDown => Kind is PredictorKind.TopDown or PredictorKind.TopDownMultiClass;

    /// <summary>Top-down without a centroid model (nor a whole-predictor model): centroids come from ground-truth instances.</summary>
    public bool CentroidFromGroundTruth => IsTopDown && Centroid is null && Main is null;

    /// <summary>
    /// Top-down without an instance model (nor a whole-predictor model): poses come from the ground-truth instance nearest each centroid (SLEAP 1.4);
    /// false for a sleap-nn centroid model alone, which predicts centroids only (<see cref="CentroidOnly"/>).
    /// </summary>
    public bool InstanceFromGroundTruth => IsTopDown && Instance is null && Main is null && !CentroidOnly;

    /// <summary>
    /// A sleap-nn centroid model alone: its centroids are the predictions, as one-point instances
    /// (docs/design/sleap-nn-inference.md §8).
    /// </summary>
    public bool CentroidOnly => Kind == PredictorKind.TopDown && Instance is null && Centroid is { Family: ModelFamily.SleapNn };

    /// <summary>The models that take part, in pipeline order (centroid, instance; or the main model).</summary>
    public IReadOnlyList<TrainingConfig> Models =>
        new[] { Centroid, Instance, Main }.OfType<TrainingConfig>().ToArray();
}
