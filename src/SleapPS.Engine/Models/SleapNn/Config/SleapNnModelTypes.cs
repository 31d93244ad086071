using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>sleap-nn's <c>model_config.head_configs</c> keys for each <see cref="ModelType"/> (docs/design/sleap-nn-config.md §3).</summary>
public static class SleapNnModelTypes
{
    /// <summary>The model types SleapPS runs, in sleap-nn's order.</summary>
    public static IReadOnlyList<string> Known { get; } =
        ["single_instance", "centroid", "centered_instance", "bottomup", "multi_class_bottomup", "multi_class_topdown"];

    /// <summary>Model types sleap-nn trains that predict masks, not poses: SleapPS names them when it refuses them.</summary>
    public static IReadOnlyList<string> Segmentation { get; } =
        ["bottomup_segmentation", "centered_instance_segmentation", "semantic_segmentation"];

    public static string ToSleapNn(ModelType type) => type switch
    {
        ModelType.SingleInstance => "single_instance",
        ModelType.Centroid => "centroid",
        ModelType.CenteredInstance => "centered_instance",
        // SLEAP 1.4 calls bottom-up models multi_instance; sleap-nn calls them bottomup.
        ModelType.MultiInstance => "bottomup",
        ModelType.MultiClassBottomUp => "multi_class_bottomup",
        ModelType.MultiClassTopDown => "multi_class_topdown",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryFromSleapNn(string key, out ModelType type)
    {
        foreach (ModelType candidate in Enum.GetValues<ModelType>())
        {
            if (ToSleapNn(candidate) == key)
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
