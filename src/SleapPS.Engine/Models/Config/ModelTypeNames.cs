namespace SleapPS.Engine.Models.Config;

/// <summary>SLEAP's <c>model.heads</c> keys for each <see cref="ModelType"/>.</summary>
public static class ModelTypeNames
{
    public static string ToSleap(ModelType type) => type switch
    {
        ModelType.SingleInstance => "single_instance",
        ModelType.Centroid => "centroid",
        ModelType.CenteredInstance => "centered_instance",
        ModelType.MultiInstance => "multi_instance",
        ModelType.MultiClassBottomUp => "multi_class_bottomup",
        ModelType.MultiClassTopDown => "multi_class_topdown",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryFromSleap(string key, out ModelType type)
    {
        foreach (ModelType candidate in Enum.GetValues<ModelType>())
        {
            if (ToSleap(candidate) == key)
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
