namespace SleapPS.Runner;

/// <summary>Finds out/SleapPS/SleapPS.psd1, the module folder the build assembles, above the working directory or the runner itself.</summary>
internal static class ModuleLocator
{
    public static string? FindBuiltModule() =>
        FindAbove(Environment.CurrentDirectory) ?? FindAbove(AppContext.BaseDirectory);

    private static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var manifest = Path.Combine(dir.FullName, "out", "SleapPS", "SleapPS.psd1");
            if (File.Exists(manifest)) return manifest;
        }
        return null;
    }
}
