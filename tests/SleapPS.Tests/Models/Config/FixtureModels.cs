using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.ConfigFiles;

/// <summary>The seven trained SLEAP models in the fixtures (docs/design/models.md §2.6).</summary>
internal static class FixtureModels
{
    public const string SingleInstance = "minimal_robot.UNet.single_instance";
    public const string Centroid = "minimal_instance.UNet.centroid";
    public const string CenteredInstance = "minimal_instance.UNet.centered_instance";
    public const string CenteredInstanceWithScaling = "minimal_instance.UNet.centered_instance_with_scaling";
    public const string BottomUp = "minimal_instance.UNet.bottomup";
    public const string BottomUpMultiClass = "min_tracks_2node.UNet.bottomup_multiclass";
    public const string TopDownMultiClass = "min_tracks_2node.UNet.topdown_multiclass";

    public static readonly string[] All =
        [SingleInstance, Centroid, CenteredInstance, CenteredInstanceWithScaling, BottomUp, BottomUpMultiClass, TopDownMultiClass];

    public static string Folder(string name) => Paths.Fixture("models", name);

    public static string ConfigFile(string name) => Path.Combine(Folder(name), "training_config.json");
}
