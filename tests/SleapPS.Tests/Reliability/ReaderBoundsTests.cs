using SleapPS.Engine;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn.Config;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// The failure classes the fuzz harness found, each made by hand on a real fixture and its exact message asserted
/// (docs/design/reliability.md §2, §3).
/// </summary>
public class ReaderBoundsTests
{
    /// <summary>Issue 15's case: a training_config.json with "outputs" twice failed with .NET's "An item with the same key has already been added".</summary>
    [Fact]
    public void Training_config_with_a_repeated_key_names_the_file_the_key_its_object_and_line()
    {
        using var dir = new TempDir();
        string text = File.ReadAllText(Paths.Fixture("models", "minimal_robot.UNet.single_instance", "training_config.json"));
        int at = text.IndexOf("\"outputs\": {", StringComparison.Ordinal);
        string edited = text[..at] + "\"outputs\": {},\n    " + text[at..];
        string path = dir.File("training_config.json");
        File.WriteAllText(path, edited);
        int line = 1 + edited[..edited.IndexOf("\"outputs\": {", at + 1, StringComparison.Ordinal)].Count(c => c == '\n');

        var ex = Assert.Throws<SleapException>(() => TrainingConfig.Load(path));

        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(path, ex.Path);
        Assert.Equal($"The training config '{path}' is not valid JSON: The key 'outputs' appears twice in the top-level object (line {line}); " +
                     "remove one of them. Use the training_config.json that SLEAP wrote when it trained the model.", ex.Message);
    }

    [Fact]
    public void Legacy_json_labels_with_a_repeated_nested_key_names_its_path()
    {
        using var dir = new TempDir();
        string text = File.ReadAllText(Paths.Fixture("json_format_v2", "minimal_instance.json"));
        int at = text.IndexOf("\"frame_idx\":", StringComparison.Ordinal);
        string path = dir.File("minimal_instance.json");
        File.WriteAllText(path, text[..at] + "\"frame_idx\": 3, " + text[at..]);

        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(path));

        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Contains($"Cannot read '{path}': it is not a valid SLEAP JSON labels file. The key 'frame_idx' appears twice in the object at 'labels[]' (line 1); remove one of them.", ex.Message);
    }

    [Fact]
    public void Yaml_nested_past_the_limit_is_refused_quickly_naming_the_file_and_line()
    {
        using var dir = new TempDir();
        string text = File.ReadAllText(Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn", "model_ckpts", "minimal_instance_centroid", "training_config.yaml"));
        string path = dir.File("training_config.yaml");
        // 100,000 levels: before the limit this took over 20 s and 1 GB building the key paths.
        File.WriteAllText(path, text.Replace("sleap_nn_version:", "deep: " + new string('[', 100_000) + new string(']', 100_000) + "\nsleap_nn_version:"));
        int line = 1 + File.ReadAllText(path)[..File.ReadAllText(path).IndexOf("deep:", StringComparison.Ordinal)].Count(c => c == '\n');

        var ex = Assert.Throws<SleapException>(() => SleapNnConfig.Load(path));

        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"The training config '{path}' is not valid YAML: line {line}: deep[0][0]", ex.Message);
        Assert.Contains($"nests lists or mappings more than {YamlTreeReader.MaxDepth} deep, where a training config nests a few levels.", ex.Message);
    }
}
