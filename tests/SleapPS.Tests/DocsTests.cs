using System.Text.RegularExpressions;
using SleapPS.Tests.Support;

namespace SleapPS.Tests;

/// <summary>
/// Every exported cmdlet has platyPS-style help in docs/cmdlets, documenting each of its parameters; code comments cite
/// the repository's own design documents (docs/design/&lt;file&gt;.md §n), and every section they cite exists.
/// </summary>
public class DocsTests
{
    private static readonly string[] CodeFolders = ["src", "bench", "tools", "tests"];
    private static readonly string[] CodeExtensions = [".cs", ".ps1", ".psm1"];

    // The outside specification's file names (and its quirk numbering) when not under docs/design/.
    private static readonly Regex OutsideCitation = new(
        @"(?<![\w/-])(?:inference|models|tracking|evaluation|labels-format|anchors|sleap-nn)\.md|\b[Qq]uirk Q\d+", RegexOptions.Compiled);

    private static readonly Regex DesignCitation = new(@"docs/design/([\w.-]+?\.md)(?: §(Q?\d+(?:\.\d+)*))?", RegexOptions.Compiled);

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

    [Fact]
    public void Code_comments_cite_no_document_outside_the_repository()
    {
        var outside = CodeLines()
            .SelectMany(l => OutsideCitation.Matches(l.Text).Select(m => $"{l.Where}: '{m.Value}' (cite docs/design/<file>.md §n instead)"))
            .ToList();
        Assert.True(outside.Count == 0, "Comments cite documents that are not in the repository:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void Every_cited_design_document_and_section_exists()
    {
        var headings = new Dictionary<string, string?>();
        var broken = new List<string>();
        var cited = 0;
        foreach (var line in CodeLines())
            foreach (Match m in DesignCitation.Matches(line.Text))
            {
                cited++;
                var file = m.Groups[1].Value;
                if (!headings.TryGetValue(file, out var text))
                {
                    var path = Path.Combine(Paths.RepoRoot, "docs", "design", file);
                    headings[file] = text = File.Exists(path) ? File.ReadAllText(path) : null;
                }
                if (text is null)
                    broken.Add($"{line.Where}: docs/design/{file} does not exist");
                else if (m.Groups[2].Success && !HasSection(text, m.Groups[2].Value))
                    broken.Add($"{line.Where}: docs/design/{file} has no heading for §{m.Groups[2].Value}");
            }
        Assert.True(cited > 0, "No comment cites docs/design: the scan found no code.");
        Assert.True(broken.Count == 0, "Comments cite design documents or sections that do not exist:\n" + string.Join("\n", broken));
    }

    /// <summary>A Markdown heading numbered n: "## §n Title", "### §n Title" or "## n. Title".</summary>
    private static bool HasSection(string document, string section) =>
        Regex.IsMatch(document, @"^#{1,6}[ \t]+§?" + Regex.Escape(section) + @"\.?(?:[ \t]|\r?$)", RegexOptions.Multiline);

    private static IEnumerable<(string Where, string Text)> CodeLines()
    {
        foreach (var folder in CodeFolders)
        {
            var root = Path.Combine(Paths.RepoRoot, folder);
            if (!Directory.Exists(root)) continue;
            foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(Paths.RepoRoot, path).Replace('\\', '/');
                if (!CodeExtensions.Contains(Path.GetExtension(path)) || relative.Contains("/bin/") || relative.Contains("/obj/"))
                    continue;
                var number = 0;
                foreach (var text in File.ReadLines(path))
                    yield return ($"{relative}:{++number}", text);
            }
        }
    }
}
