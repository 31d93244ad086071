using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleapPS.Tests.Support;

/// <summary>
/// Runs Debian's h5py (/usr/bin/python3, the reference HDF5 reader SLEAP itself uses) on a file, to check
/// what SLEAP would see in files this library writes.
/// </summary>
public static class H5Py
{
    private const string Python = "/usr/bin/python3";

    public static string SchemaScript => Path.Combine(Paths.RepoRoot, "tests", "python", "h5_schema.py");

    /// <summary>tests/python/h5_schema.py's view of a file: dataset and attribute shapes, dtypes, compression.</summary>
    public static JsonObject Schema(string path) => JsonNode.Parse(Run(SchemaScript, path))!.AsObject();

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

    private static string Run(string script, string argument)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {Python}; these tests need Python 3 with h5py there.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Python} {script} {argument} failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }
}
