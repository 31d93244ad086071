namespace SleapPS.Tests.Support;

/// <summary>
/// Python scripts under tests/python/ that inspect HDF5 files with h5py, an HDF5 reader nobody here
/// wrote. On Debian that is python3-h5py under /usr/bin/python3 (a python3 earlier on PATH may lack
/// h5py); SLEAPPS_PYTHON overrides the interpreter (CI on other systems sets it).
/// </summary>
public static class H5py
{
    public static string Python { get; } = FindPython();

    /// <summary>Runs tests/python/<paramref name="script"/> (".py" optional) with the arguments; returns its stdout, failing the test with its stderr.</summary>
    public static string Run(string script, params string[] args)
    {
        var fileName = script.EndsWith(".py", StringComparison.Ordinal) ? script : script + ".py";
        var scriptPath = Path.Combine("tests", "python", fileName);
        if (!File.Exists(Path.Combine(Paths.RepoRoot, scriptPath)))
            throw new InvalidOperationException($"No such script: {Path.Combine(Paths.RepoRoot, scriptPath)}.");
        return ExternalProcess.Run(Python, [scriptPath, .. args])
            .StdoutOrFail($"If stderr says h5py is missing, install it (Debian: apt-get install python3-h5py) or point SLEAPPS_PYTHON at a python that has it.");
    }

    private static string FindPython()
    {
        var configured = Environment.GetEnvironmentVariable("SLEAPPS_PYTHON");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        if (File.Exists("/usr/bin/python3")) return "/usr/bin/python3";
        return OperatingSystem.IsWindows() ? "python" : "python3";
    }
}
