using System.Text.RegularExpressions;

namespace SleapPS.Tests.Support;

/// <summary>
/// The cmdlets SleapPS.psd1 exports (its CmdletsToExport list): the one list the tests hold the module, its assembly and
/// its help to, so that adding a cmdlet means adding it to the manifest and writing its help, not editing counts.
/// </summary>
public static class ManifestCmdlets
{
    public static IReadOnlyList<string> Names { get; } = Read();

    private static List<string> Read()
    {
        var manifest = File.ReadAllText(Path.Combine(Paths.RepoRoot, "SleapPS.psd1"));
        var list = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<names>[^)]*)\)").Groups["names"].Value;
        return Regex.Matches(list, @"'([^']+)'").Select(m => m.Groups[1].Value).ToList();
    }
}
