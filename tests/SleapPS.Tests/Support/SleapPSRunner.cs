namespace SleapPS.Tests.Support;

/// <summary>
/// tools/SleapPS.Runner, the console host that runs a .ps1 with the module imported where pwsh is
/// absent. Its output is what a user sees: formatted by PowerShell with our format file.
/// </summary>
public static class SleapPSRunner
{
    /// <summary>Runs a script; returns its stdout, failing the test with stderr when it fails.</summary>
    public static string Run(string scriptPath) =>
        ExternalProcess.Run("dotnet", [RunnerPath, scriptPath]).StdoutOrFail($"The runner failed on {scriptPath}.");

    /// <summary>Starts a script in its own process and returns at once (for a second process that holds something).</summary>
    public static System.Diagnostics.Process Start(string scriptPath)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RunnerPath);
        start.ArgumentList.Add(scriptPath);
        return System.Diagnostics.Process.Start(start)!;
    }

    private static string RunnerPath
    {
        get
        {
            // The runner is built with the same configuration as this test assembly (see the csproj reference).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var runner = Path.Combine(Paths.RepoRoot, "tools", "SleapPS.Runner", "bin", configuration, "net10.0", "SleapPS.Runner.dll");
            if (!File.Exists(runner))
                throw new InvalidOperationException($"The runner is not built at {runner}.");
            return runner;
        }
    }
}
