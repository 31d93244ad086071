using SleapPS.Tests.Support;

namespace SleapPS.Tests;

public class ModuleTests
{
    [Fact]
    public void Module_imports_from_the_built_folder_and_exports_its_cmdlets()
    {
        using var host = new PowerShellHost();
        var names = host.Run("(Get-Command -Module SleapPS).Name").Output.Select(o => o.ToString()).Order().ToArray();
        Assert.Equal(new[] { "ConvertTo-SleapTable", "Export-SleapLabels", "Get-SleapVideo", "Import-SleapLabels", "Import-SleapModel", "Invoke-SleapPredict" }, names);
    }
}
