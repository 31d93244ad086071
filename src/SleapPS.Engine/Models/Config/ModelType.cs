namespace SleapPS.Engine.Models.Config;

/// <summary>
/// What a trained model predicts: the name of the one non-null entry of <c>model.heads</c> in its
/// training_config.json (docs/design/models.md §2.4).
/// </summary>
public enum ModelType
{
    /// <summary><c>single_instance</c>: one animal per frame, one confidence map per part.</summary>
    SingleInstance,
    /// <summary><c>centroid</c>: top-down stage 1, one confidence map of instance centres.</summary>
    Centroid,
    /// <summary><c>centered_instance</c>: top-down stage 2, part maps on crops around each centroid.</summary>
    CenteredInstance,
    /// <summary><c>multi_instance</c>: bottom-up, part maps plus part affinity fields.</summary>
    MultiInstance,
    /// <summary><c>multi_class_bottomup</c>: bottom-up with identity class maps.</summary>
    MultiClassBottomUp,
    /// <summary><c>multi_class_topdown</c>: top-down stage 2 with an identity class vector per crop.</summary>
    MultiClassTopDown,
}
