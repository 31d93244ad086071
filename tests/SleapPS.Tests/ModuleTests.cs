using SleapPS.Tests.Support;

namespace SleapPS.Tests;

public class ModuleTests
{
    [Fact]
    public void Module_imports_from_the_built_folder_and_exports_exactly_the_cmdlets_its_manifest_names()
    {
        using var host = new PowerShellHost();
        var exported = host.Run("(Get-Command -Module SleapPS -CommandType Cmdlet).Name").Output.Select(o => o.ToString()).Order().ToArray();

        Assert.Contains("Import-SleapLabels", ManifestCmdlets.Names);
        Assert.Equal(ManifestCmdlets.Names.Order(), exported);
    }

    [Fact]
    public void The_manifest_names_every_cmdlet_the_assembly_defines_once_and_each_has_a_help_file()
    {
        using var host = new PowerShellHost();
        // The [Cmdlet] classes of the assembly behind the module, whether the manifest exports them or not.
        var defined = host.Run(
            "(Get-Command Import-SleapLabels).ImplementingType.Assembly.GetTypes() | Where-Object { -not $_.IsAbstract } | " +
            "ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } | " +
            "ForEach-Object { $_.VerbName + '-' + $_.NounName }").Output.Select(o => o.ToString()).Order().ToArray();

        Assert.Equal(ManifestCmdlets.Names.Distinct().Count(), ManifestCmdlets.Names.Count);
        Assert.Equal(defined, ManifestCmdlets.Names.Order());
        foreach (var name in ManifestCmdlets.Names)
            Assert.True(File.Exists(Path.Combine(Paths.RepoRoot, "docs", "cmdlets", name + ".md")), $"{name} has no help file docs/cmdlets/{name}.md");
    }
}
