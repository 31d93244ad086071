using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// The settings these predictors use, checked. Not <see cref="InferenceSettings.Validate"/>: it caps the peak threshold
/// at 1, but confidence maps are unnormalised and can exceed 1, and SLEAP accepts any threshold (its own tests use 1.5
/// to get no peaks at all).
/// </summary>
internal static class SettingsCheck
{
    public static void Check(InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (double.IsNaN(settings.PeakThreshold))
            Fail(nameof(settings.PeakThreshold), settings.PeakThreshold, "a number");
        if (settings.IntegralPatchSize < 1 || settings.IntegralPatchSize % 2 == 0)
            Fail(nameof(settings.IntegralPatchSize), settings.IntegralPatchSize, "an odd number of at least 1");
        if (settings.MaxInstances is < 1)
            Fail(nameof(settings.MaxInstances), settings.MaxInstances, "at least 1 (or unset)");
    }

    private static void Fail(string name, object? value, string range) =>
        throw new SleapException(SleapErrorKind.InvalidArgument, $"The inference setting {name} is {value}; it must be {range}.");
}
