using System.Text.Json.Nodes;

namespace SleapPS.Tests.Support;

/// <summary>
/// SLEAP's maintainers' own JavaScript reader (@talmolab/sleap-io.js, pinned in tests/js/package.json),
/// run in node. It shows what a reader nobody here wrote sees in a file: the canonical JSON document
/// printed by tests/js/dump-labels.mjs (loadSlp) or tests/js/dump-analysis.mjs (loadAnalysisH5).
/// Document shape: reader, videos[{filename, shape, fps}], skeletons[{name, nodes, edges[[src,dst]],
/// symmetries[[a,b]]}], tracks[names], suggestions[{video, frame_idx, group}], labeled_frames[{video,
/// frame_idx, instances[{type "user"|"predicted", skeleton, track, score, tracking_score,
/// from_predicted [frame, instance] | null, points[[x, y, visible, score]]}]}], counts{labeled_frames,
/// user_instances, predicted_instances}, provenance. NaN is written as null.
/// </summary>
public static class SleapIoJs
{
    private static string ScriptsFolder => Path.Combine(Paths.RepoRoot, "tests", "js");

    /// <summary>What sleap-io.js's loadSlp read from a .slp file.</summary>
    public static JsonNode LoadSlp(string path) => Dump("dump-labels.mjs", path);

    /// <summary>What sleap-io.js's loadAnalysisH5 read from a SLEAP analysis HDF5 file.</summary>
    public static JsonNode LoadAnalysisH5(string path) => Dump("dump-analysis.mjs", path);

    /// <summary>What one of tests/js's dump scripts (e.g. dump-coco.mjs) printed for a file.</summary>
    public static JsonNode Dump(string script, string path)
    {
        if (!Directory.Exists(Path.Combine(ScriptsFolder, "node_modules", "@talmolab", "sleap-io.js")))
            throw new InvalidOperationException(
                $"sleap-io.js is not installed in {ScriptsFolder}: run 'npm ci' in tests/js (needs node 20 and npm).");
        var result = ExternalProcess.Run("node", [Path.Combine("tests", "js", script), Path.GetFullPath(path)]);
        var json = result.StdoutOrFail($"sleap-io.js could not load {path}.");
        return JsonNode.Parse(json) ?? throw new Xunit.Sdk.XunitException($"{result.Command} printed no JSON document.");
    }
}
