namespace SleapPS.Tests.Support;

/// <summary>
/// tools/SleapPS.Runner, the console host that runs a .ps1 with the module imported where pwsh is
/// absent. Its output is what a user sees: formatted by PowerShell with our format file.
/// </summary>
public static class SleapPSRunner
{
    /// <summary>Runs a script; returns its stdout, failing the test with stderr when it fails.</summary>
    public static string Run(string scriptPath)
    {
        // The runner is built with the same configuration as this test assembly (see the csproj reference).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var runner = Path.Combine(Paths.RepoRoot, "tools", "SleapPS.Runner", "bin", configuration, "net10.0", "SleapPS.Runner.dll");
        if (!File.Exists(runner))
            throw new InvalidOperationException($"The runner is not built at {runner}.");
        return ExternalProcess.Run("dotnet", [runner, scriptPath]).StdoutOrFail($"The runner failed on {scriptPath}.");
    }
}
