namespace SleapPS.Engine.Models.Config;

/// <summary>
/// Chooses the predictor for a set of models the way SLEAP's <c>Predictor.from_model_paths</c> does
/// (docs/design/inference.md §2), but refuses the sets SLEAP would silently mishandle.
/// </summary>
/// <remarks>
/// Priority: any single_instance model makes a single-instance predictor; else any centroid, centered_instance or
/// multi_class_topdown model makes a top-down predictor (multi-class when a multi_class_topdown model is present;
/// a missing stage is replaced by ground truth); else multi_instance makes bottom-up; else multi_class_bottomup
/// makes bottom-up multi-class. Models of other types are listed in <see cref="PredictorPlan.Ignored"/>.
/// <para>
/// Refused (SLEAP would take the first and quietly drop the rest): two models for the same part of the chosen
/// predictor, including a centered_instance next to a multi_class_topdown model (both are the instance stage), and
/// the same model given twice. Duplicates among ignored models are harmless and allowed.
/// Not checked for two models of one family: that the centroid and instance models share a skeleton, since a
/// centroid model's skeleton does not enter its predictions.
/// </para>
/// <para>
/// sleap-nn models pair as sleap-nn pairs them (docs/design/sleap-nn-config.md §9): centroid + centered instance,
/// centroid + multi-class top-down, or a centroid model alone, which plans as top-down without an instance model; for
/// a sleap-nn centroid model that means its centroids are the predictions, not ground-truth poses (the predictors
/// tell by the centroid's <see cref="TrainingConfig.Family"/>). A SLEAP 1.4 model and a sleap-nn model may make the
/// two stages of one top-down predictor when their skeletons have the same nodes in the same order; each stage keeps
/// its own family's inference rules.
/// </para>
/// </remarks>
public static class PredictorPlanner
{
    /// <exception cref="SleapException">InvalidArgument when the models make no predictor.</exception>
    public static PredictorPlan Plan(IReadOnlyList<TrainingConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        if (configs.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                "No model was given. Give one trained SLEAP model folder, or two for top-down (a centroid and a centered-instance model).");
        foreach (TrainingConfig config in configs)
            ArgumentNullException.ThrowIfNull(config, nameof(configs));

        // A model whose one graph is a whole predictor (a sleap-nn export) runs alone (docs/design/sleap-nn-exports.md §5).
        if (configs.FirstOrDefault(c => c.StandaloneKind is not null) is { StandaloneKind: { } wholeKind } whole)
            return configs.Count == 1
                ? new PredictorPlan(wholeKind, null, null, whole, [])
                : throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"The model {Describe(whole)} is a whole {wholeKind} predictor in one graph (a sleap-nn export), which runs alone; " +
                    $"it was given with {string.Join(", ", configs.Where(c => c != whole).Select(Describe))}. Give the export on its own.");

        if (Any(configs, ModelType.SingleInstance))
            return Single(configs, PredictorKind.SingleInstance, ModelType.SingleInstance);

        if (Any(configs, ModelType.Centroid) || Any(configs, ModelType.CenteredInstance) || Any(configs, ModelType.MultiClassTopDown))
        {
            TrainingConfig? centroid = AtMostOne(configs, "centroid", ModelType.Centroid);
            TrainingConfig? instance = AtMostOne(configs, "instance (centered_instance or multi_class_topdown)",
                ModelType.CenteredInstance, ModelType.MultiClassTopDown);
            var kind = instance?.ModelType == ModelType.MultiClassTopDown ? PredictorKind.TopDownMultiClass : PredictorKind.TopDown;
            if (centroid is not null && instance is not null && centroid.Family != instance.Family)
                CheckSkeletonsAgree(centroid, instance);
            return new PredictorPlan(kind, centroid, instance, null, Others(configs, centroid, instance));
        }

        if (Any(configs, ModelType.MultiInstance))
            return Single(configs, PredictorKind.BottomUp, ModelType.MultiInstance);

        return Single(configs, PredictorKind.BottomUpMultiClass, ModelType.MultiClassBottomUp);
    }

    private static PredictorPlan Single(IReadOnlyList<TrainingConfig> configs, PredictorKind kind, ModelType type)
    {
        TrainingConfig main = AtMostOne(configs, ModelTypeNames.ToSleap(type), type)!;
        return new PredictorPlan(kind, null, null, main, Others(configs, main));
    }

    private static bool Any(IReadOnlyList<TrainingConfig> configs, ModelType type) => configs.Any(c => c.ModelType == type);

    private static TrainingConfig? AtMostOne(IReadOnlyList<TrainingConfig> configs, string role, params ModelType[] types)
    {
        var matches = configs.Where(c => types.Contains(c.ModelType)).ToList();
        if (matches.Count > 1 && matches.All(m => m.SourcePath == matches[0].SourcePath))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The model {Describe(matches[0])} was given more than once. Give each model once.", matches[0].ModelFolder);
        if (matches.Count > 1)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"More than one {role} model was given: {string.Join(", ", matches.Select(Describe))}. A predictor uses one; give only the one you mean.");
        return matches.FirstOrDefault();
    }

    private static IReadOnlyList<TrainingConfig> Others(IReadOnlyList<TrainingConfig> configs, params TrainingConfig?[] used) =>
        configs.Where(c => !used.Contains(c)).ToArray();

    /// <summary>
    /// A centroid model of one family with an instance model of the other: the crops are cut where the centroid model
    /// puts the anchor the instance model was trained around, so both must know the same body (docs/design/sleap-nn-config.md §9).
    /// </summary>
    private static void CheckSkeletonsAgree(TrainingConfig centroid, TrainingConfig instance)
    {
        if (centroid.Skeleton.NodeNames.SequenceEqual(instance.Skeleton.NodeNames, StringComparer.Ordinal))
            return;
        throw new SleapException(SleapErrorKind.InvalidArgument,
            $"The centroid model {Describe(centroid)}, a {FamilyName(centroid)} model, and the instance model {Describe(instance)}, a {FamilyName(instance)} model, " +
            $"have different skeletons: ({string.Join(", ", centroid.Skeleton.NodeNames)}) and ({string.Join(", ", instance.Skeleton.NodeNames)}). " +
            "Models of the two families pair only when their skeletons have the same nodes in the same order: give models trained on the same skeleton.");
    }

    private static string FamilyName(TrainingConfig config) => config.Family == ModelFamily.SleapNn ? "sleap-nn" : "SLEAP 1.4";

    private static string Describe(TrainingConfig config) => $"'{config.ModelFolder}' ({config.ModelTypeName})";
}
