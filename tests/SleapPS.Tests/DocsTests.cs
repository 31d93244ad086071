using System.Text.RegularExpressions;
using SleapPS.Tests.Support;

namespace SleapPS.Tests;

/// <summary>Every exported cmdlet has platyPS-style help in docs/cmdlets, documenting each of its parameters.</summary>
public class DocsTests
{
    private static readonly string[] CommonParameters =
    [
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    ];

    [Fact]
    public void Every_cmdlet_has_a_help_file_that_documents_every_parameter()
    {
        using var host = new PowerShellHost();
        var commands = host.Run("Get-Command -Module SleapPS | ForEach-Object { $_.Name + ':' + ($_.Parameters.Keys -join ',') }")
            .Output.Select(o => o.ToString()).ToList();
        Assert.NotEmpty(commands);
        foreach (var line in commands)
        {
            var name = line[..line.IndexOf(':')];
            var parameters = line[(line.IndexOf(':') + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries).Except(CommonParameters);
            var helpPath = Path.Combine(Paths.RepoRoot, "docs", "cmdlets", name + ".md");
            Assert.True(File.Exists(helpPath), $"{name} has no help file at {helpPath}");
            var help = File.ReadAllText(helpPath);
            foreach (var section in new[] { "## SYNOPSIS", "## SYNTAX", "## DESCRIPTION", "## EXAMPLES", "## PARAMETERS", "## INPUTS", "## OUTPUTS" })
                Assert.Contains(section, help);
            Assert.Matches(new Regex(@"^# " + Regex.Escape(name) + @"\s*$", RegexOptions.Multiline), help);
            foreach (var parameter in parameters)
                Assert.True(help.Contains("### -" + parameter + "\n") || help.Contains("### -" + parameter + "\r\n"),
                    $"{helpPath} does not document the parameter -{parameter}");
        }
    }
}
