using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Keras;

/// <summary>The seven SLEAP models under ../shared/fixtures/sleap/models, with facts read from them (docs/design/models.md §2.6).</summary>
public static class FixtureModels
{
    public static string H5(string folder) => Paths.Fixture("models", folder, "best_model.h5");

    /// <summary>folder, Keras version, layer count, parameter count, input H, W, C (stored), outputs (name, stride, channels).</summary>
    public static readonly (string Folder, string KerasVersion, int Layers, long Parameters, int[] Input, (string Name, int Stride, int Channels)[] Outputs)[] All =
    [
        ("minimal_robot.UNet.single_instance", "2.4.0", 16, 18250, [160, 280, 3], [("SingleInstanceConfmapsHead_0", 4, 2)]),
        ("minimal_instance.UNet.centroid", "2.4.0", 29, 127235, [384, 384, 1], [("CentroidConfmapsHead_0", 4, 1), ("OffsetRefinementHead_0", 4, 2)]),
        ("minimal_instance.UNet.centered_instance", "2.4.0", 36, 150674, [96, 96, 1], [("CenteredInstanceConfmapsHead_0", 2, 2), ("OffsetRefinementHead_0", 2, 4)]),
        ("minimal_instance.UNet.centered_instance_with_scaling", "2.7.0", 36, 150674, [56, 56, 1], [("CenteredInstanceConfmapsHead", 2, 2), ("OffsetRefinementHead", 2, 4)]),
        ("minimal_instance.UNet.bottomup", "2.4.0", 37, 150748, [384, 384, 1],
            [("MultiInstanceConfmapsHead_0", 2, 2), ("PartAffinityFieldsHead_0", 4, 2), ("OffsetRefinementHead_0", 2, 4)]),
        ("min_tracks_2node.UNet.bottomup_multiclass", "2.4.0", 45, 80683, [512, 512, 1], [("MultiInstanceConfmapsHead_0", 2, 2), ("ClassMapsHead_0", 2, 2)]),
        // ClassVectorsHead is a vector per image (stride 0 marks it).
        ("min_tracks_2node.UNet.topdown_multiclass", "2.4.0", 53, 91731, [128, 128, 1], [("CenteredInstanceConfmapsHead", 2, 2), ("ClassVectorsHead", 0, 2)]),
    ];

    public static IEnumerable<object[]> Folders => All.Select(m => new object[] { m.Folder });

    public static (string Folder, string KerasVersion, int Layers, long Parameters, int[] Input, (string Name, int Stride, int Channels)[] Outputs) Get(string folder) =>
        All.Single(m => m.Folder == folder);
}
