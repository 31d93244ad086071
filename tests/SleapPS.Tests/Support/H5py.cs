using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleapPS.Tests.Support;

/// <summary>
/// h5py, an HDF5 reader nobody here wrote (and the one SLEAP itself uses), run on files we write.
/// On Debian that is python3-h5py under /usr/bin/python3 (a python3 earlier on PATH may lack h5py);
/// SLEAPPS_PYTHON overrides the interpreter (CI on other systems sets it).
/// </summary>
public static class H5py
{
    public static string Python { get; } = FindPython();

    /// <summary>Runs tests/python/<paramref name="script"/> (".py" optional) with the arguments; returns its stdout, failing the test with its stderr.</summary>
    public static string Run(string script, params string[] args)
    {
        var fileName = script.EndsWith(".py", StringComparison.Ordinal) ? script : script + ".py";
        var scriptPath = Path.IsPathRooted(fileName) ? fileName : Path.Combine("tests", "python", fileName);
        if (!File.Exists(Path.Combine(Paths.RepoRoot, scriptPath)))
            throw new InvalidOperationException($"No such script: {Path.Combine(Paths.RepoRoot, scriptPath)}.");
        return ExternalProcess.Run(Python, [scriptPath, .. args])
            .StdoutOrFail("If stderr says h5py is missing, install it (Debian: apt-get install python3-h5py) or point SLEAPPS_PYTHON at a python that has it.");
    }

    /// <summary>tests/python/h5_schema.py's view of a file: dataset and attribute shapes, dtypes, compression.</summary>
    public static JsonObject Schema(string path) => JsonNode.Parse(Run("h5_schema.py", path))!.AsObject();

    /// <summary>Runs a Python snippet with <c>f</c> = the open file; the snippet prints JSON to stdout.</summary>
    public static JsonNode Evaluate(string path, string snippet)
    {
        string script = Path.Combine(Path.GetTempPath(), $"sleapps-h5py-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, "import sys, json, h5py, numpy as np\nf = h5py.File(sys.argv[1], 'r')\n" + snippet + "\n");
        try { return JsonNode.Parse(Run(script, path))!; }
        finally { File.Delete(script); }
    }

    /// <summary>Compact JSON text of a node, with '&lt;' and '&gt;' (as in dtypes like "&lt;f8") left as they are.</summary>
    public static string Text(JsonNode? node) => node?.ToJsonString(Unescaped) ?? "null";

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string FindPython()
    {
        var configured = Environment.GetEnvironmentVariable("SLEAPPS_PYTHON");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        if (File.Exists("/usr/bin/python3")) return "/usr/bin/python3";
        return OperatingSystem.IsWindows() ? "python" : "python3";
    }
}
