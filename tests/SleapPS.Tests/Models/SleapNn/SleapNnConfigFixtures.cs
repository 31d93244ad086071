using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>The sleap-nn fixtures' model folders and training configs, used in place.</summary>
internal static class SleapNnConfigFixtures
{
    public static string Root => Path.GetFullPath(Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn"));

    public const string Centroid = "minimal_instance_centroid";
    public const string CenteredInstance = "minimal_instance_centered_instance";
    public const string BottomUp = "minimal_instance_bottomup";
    public const string MultiClassBottomUp = "minimal_instance_multiclass_bottomup";
    public const string MultiClassTopDown = "minimal_instance_multiclass_centered_instance";
    public const string SingleInstance = "minimal_instance_single_instance";

    /// <summary>The six trained models (model_ckpts/).</summary>
    public static readonly string[] Trained = [Centroid, CenteredInstance, BottomUp, MultiClassBottomUp, MultiClassTopDown, SingleInstance];

    public static string ModelFolder(string name) => Path.Combine(Root, "model_ckpts", name);

    public static string ModelConfig(string name) => Path.Combine(ModelFolder(name), "training_config.yaml");

    public static string SyntheticConfig(string name) => Path.Combine(Root, "synthetic", name, "training_config.yaml");

    /// <summary>
    /// Every sleap-nn config in the fixtures, relative to <see cref="Root"/>: the trained models' training_config.yaml
    /// and initial_config.yaml, the synthetic models', the copies beside the exports and the generated_configs.
    /// </summary>
    public static IEnumerable<string> AllConfigs() =>
        new[] { "model_ckpts", "synthetic", "exports", "generated_configs" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(Root, dir), "*.yaml", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(Root, path))
            .Order(StringComparer.Ordinal);
}
