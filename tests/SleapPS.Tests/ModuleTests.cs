using System.Text.RegularExpressions;
using SleapPS.Tests.Support;

namespace SleapPS.Tests;

public class ModuleTests
{
    [Fact]
    public void Module_imports_from_the_built_folder_and_exports_exactly_the_cmdlets_its_manifest_names()
    {
        using var host = new PowerShellHost();
        var exported = host.Run("(Get-Command -Module SleapPS -CommandType Cmdlet).Name").Output.Select(o => o.ToString()).Order().ToArray();

        var manifest = File.ReadAllText(Path.Combine(Paths.RepoRoot, "SleapPS.psd1"));
        var list = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<names>[^)]*)\)").Groups["names"].Value;
        var declared = Regex.Matches(list, @"'([^']+)'").Select(m => m.Groups[1].Value).Order().ToArray();

        Assert.Contains("Import-SleapLabels", declared);
        Assert.Equal(declared, exported);
    }
}
