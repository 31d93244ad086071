using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>A fixture's training_config.yaml, edited as text and written as training_config.yaml in a temporary folder.</summary>
internal static class EditedYaml
{
    /// <summary>Replaces <paramref name="oldText"/> (which must occur exactly once) with <paramref name="newText"/>.</summary>
    /// <returns>The path of the edited training_config.yaml.</returns>
    public static string Replace(TempDir dir, string fixtureConfig, string oldText, string newText)
    {
        string text = File.ReadAllText(fixtureConfig);
        int at = text.IndexOf(oldText, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(oldText, at + 1, StringComparison.Ordinal) < 0, $"'{oldText}' must occur once in {fixtureConfig}");
        return Write(dir, text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    /// <summary>Replaces lines <paramref name="first"/> to <paramref name="last"/> (1-based, inclusive) with <paramref name="newLines"/>.</summary>
    public static string ReplaceLines(TempDir dir, string fixtureConfig, int first, int last, params string[] newLines)
    {
        var lines = File.ReadAllLines(fixtureConfig).ToList();
        lines.RemoveRange(first - 1, last - first + 1);
        lines.InsertRange(first - 1, newLines);
        return Write(dir, string.Join("\n", lines) + "\n");
    }

    public static string Write(TempDir dir, string text)
    {
        string path = dir.File("training_config.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
