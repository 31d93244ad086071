namespace SleapPS.Tests.Support;

/// <summary>Where the repository, the built module and SLEAP's fixtures are, from wherever the tests run.</summary>
public static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The importable module folder that building src/SleapPS assembles.</summary>
    public static string ModuleManifest => Path.Combine(RepoRoot, "out", "SleapPS", "SleapPS.psd1");

    /// <summary>SLEAP's own test data, used in place (never copied into the repo).</summary>
    public static string Fixtures => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures", "sleap"));

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SleapPS.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
                return dir.FullName;
        throw new InvalidOperationException("Could not find the repository root (the folder holding SleapPS.psd1) above " + AppContext.BaseDirectory);
    }
}
