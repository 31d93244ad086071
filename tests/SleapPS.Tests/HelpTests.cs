using System.Collections;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SleapPS.Tests.Support;

namespace SleapPS.Tests;

/// <summary>
/// Get-Help shows the help written in docs/cmdlets, through the MAML file (en-US/SleapPS.dll-Help.xml)
/// that building the module generates. Expected values are read from the Markdown here, line by line,
/// independently of the generator.
/// </summary>
public class HelpTests
{
    private static readonly string HelpXml = Path.Combine(Paths.RepoRoot, "out", "SleapPS", "en-US", "SleapPS.dll-Help.xml");

    [Fact]
    public void Get_Help_Full_shows_the_synopsis_description_examples_and_parameters_of_every_cmdlet()
    {
        using var host = new PowerShellHost();
        var names = ExportedCmdlets(host);
        Assert.Equal(ManifestCmdlets.Names.Order(), names.Order());
        foreach (var name in names)
        {
            var doc = HelpDoc.Read(name);
            var vars = new Dictionary<string, object?> { ["name"] = name };

            Assert.Equal(Plain(doc.Synopsis), Scalar(host, "(Get-Help $name -Full).Synopsis", vars));
            Assert.Equal(Normalize(Plain(doc.Section("DESCRIPTION"))), Normalize(Scalar(host, "(Get-Help $name -Full).description.Text -join ' '", vars)));

            var examples = Rows(host, "foreach ($e in (Get-Help $name -Full).examples.example) { @{ Title = $e.title; Code = $e.code } }", vars);
            Assert.True(doc.Examples.Count == examples.Count, $"{name}: {doc.Examples.Count} examples in the doc, {examples.Count} in Get-Help");
            for (var i = 0; i < examples.Count; i++)
            {
                Assert.Contains(doc.Examples[i].Title, examples[i]["Title"]);
                Assert.Contains(doc.Examples[i].Code, examples[i]["Code"].ReplaceLineEndings("\n"));
            }

            var parameters = Rows(host,
                "foreach ($p in (Get-Help $name -Full).parameters.parameter) { @{ Name = $p.name; Default = $p.defaultValue; Text = $p.description.Text -join ' ' } }", vars);
            Assert.Equal(doc.Parameters.Select(p => p.Name), parameters.Select(p => p["Name"]));
            foreach (var (expected, actual) in doc.Parameters.Zip(parameters))
            {
                Assert.True(Normalize(Plain(expected.Description)) == Normalize(actual["Text"]),
                    $"{name} -{expected.Name}: '{Normalize(actual["Text"])}' is not the doc's '{Normalize(Plain(expected.Description))}'");
                Assert.Equal(expected.DefaultValue, actual["Default"]);
            }

            Assert.Equal(doc.Subheadings("INPUTS"), Strings(host, "(Get-Help $name -Full).inputTypes.inputType.type.name", vars));
            Assert.Equal(doc.Subheadings("OUTPUTS"), Strings(host, "(Get-Help $name -Full).returnValues.returnValue.type.name", vars));
            Assert.Equal(Normalize(Plain(doc.Section("NOTES"))), Normalize(Scalar(host, "(Get-Help $name -Full).alertSet.alert.Text -join ' '", vars)));
        }
    }

    [Fact]
    public void Get_Help_Parameter_gives_the_parameters_text()
    {
        using var host = new PowerShellHost();
        var expected = HelpDoc.Read("Import-SleapLabels").Parameters.Single(p => p.Name == "VideoSearchPath");
        Assert.Equal("Folders to look for videos in when they are not where the labels file says.", expected.Description);

        var parameter = Rows(host, "$p = Get-Help Import-SleapLabels -Parameter VideoSearchPath; @{ Name = $p.name; Text = $p.description.Text -join ' '; Type = $p.type.name; Required = $p.required }");
        Assert.Equal("VideoSearchPath", parameter[0]["Name"]);
        Assert.Equal(expected.Description, parameter[0]["Text"]);
        Assert.Equal("String[]", parameter[0]["Type"]);
        Assert.Equal("false", parameter[0]["Required"]);
    }

    [Fact]
    public void Get_Help_Examples_lists_the_examples_of_Export_SleapLabels()
    {
        using var host = new PowerShellHost();
        var doc = HelpDoc.Read("Export-SleapLabels");
        Assert.Equal(5, doc.Examples.Count);

        var examples = Rows(host, "foreach ($e in (Get-Help Export-SleapLabels -Examples).examples.example) { @{ Title = $e.title; Code = $e.code } }");
        Assert.Equal(doc.Examples.Count, examples.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            Assert.Contains(doc.Examples[i].Title, examples[i]["Title"]);
            Assert.Contains(doc.Examples[i].Code, examples[i]["Code"].ReplaceLineEndings("\n"));
        }
    }

    [Fact]
    public void Help_of_a_switch_and_of_accepted_values_reads_as_PowerShells_own()
    {
        using var host = new PowerShellHost();
        var syntax = Strings(host,
            "foreach ($p in (Get-Help ConvertTo-SleapTable).syntax.syntaxItem.parameter) { $p.name + ':' + ($p.parameterValueGroup.parameterValue -join '|') + ':' + $p.parameterValue }");
        // -By lists its values, -IncludeMissing (a switch) takes none; positional -InputObject comes first.
        Assert.Equal(["InputObject::Labels", "By:Point|Instance:SleapTableRow", "IncludeMissing::"], syntax);
        // The syntax comes from the help file (PowerShell's stand-in help, made when there is none, has no descriptions).
        var by = HelpDoc.Read("ConvertTo-SleapTable").Parameters.Single(p => p.Name == "By");
        Assert.Equal(Plain(by.Description), Scalar(host, "((Get-Help ConvertTo-SleapTable).syntax.syntaxItem.parameter | Where-Object name -eq By).description.Text"));
    }

    [Fact]
    public void The_help_file_is_well_formed_MAML_with_one_command_per_exported_cmdlet()
    {
        using var host = new PowerShellHost();
        XNamespace msh = "http://msh", maml = "http://schemas.microsoft.com/maml/2004/10",
            command = "http://schemas.microsoft.com/maml/dev/command/2004/10", dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        var xml = XDocument.Load(HelpXml); // throws on malformed XML
        Assert.Equal(msh + "helpItems", xml.Root!.Name);
        Assert.Equal("maml", (string?)xml.Root.Attribute("schema"));
        var commands = xml.Root.Elements(command + "command").ToList();
        Assert.Equal(ExportedCmdlets(host).Order(), commands.Select(c => c.Element(command + "details")!.Element(command + "name")!.Value).Order());
        foreach (var element in commands)
        {
            var name = element.Element(command + "details")!.Element(command + "name")!.Value;
            Assert.Equal(name[..name.IndexOf('-')], element.Element(command + "details")!.Element(command + "verb")!.Value);
            Assert.NotEmpty(element.Element(maml + "description")!.Elements(maml + "para"));
            Assert.NotEmpty(element.Element(command + "syntax")!.Elements(command + "syntaxItem"));
            Assert.All(element.Element(command + "parameters")!.Elements(command + "parameter"), p =>
            {
                Assert.Contains((string?)p.Attribute("required"), new[] { "true", "false" });
                Assert.NotNull(p.Element(dev + "type")!.Element(maml + "name"));
                Assert.NotNull(p.Element(dev + "defaultValue"));
            });
            Assert.All(element.Element(command + "examples")!.Elements(command + "example"), e => Assert.NotEmpty(e.Element(dev + "code")!.Value));
        }

        // Markdown's < and > (ConvertTo-SleapTable's "<node>.x") survive as text.
        var table = commands.Single(c => c.Element(command + "details")!.Element(command + "name")!.Value == "ConvertTo-SleapTable");
        Assert.Contains("<node>.x", table.Element(maml + "description")!.Value);   // inline code without its backticks
        Assert.DoesNotContain("`", table.Element(maml + "description")!.Value);
        Assert.Contains("&lt;node&gt;.x", File.ReadAllText(HelpXml));
    }

    [Fact]
    public void A_parameter_without_its_yaml_block_fails_naming_the_file_and_line()
    {
        using var temp = new TempDir();
        var lines = File.ReadAllLines(HelpDoc.PathOf("Import-SleapLabels")).ToList();
        var heading = lines.IndexOf("### -VideoSearchPath");
        var yamlStart = lines.IndexOf("```yaml", heading);
        lines.RemoveRange(yamlStart, lines.IndexOf("```", yamlStart + 1) - yamlStart + 1);
        var doc = temp.File("Import-SleapLabels.md");
        File.WriteAllLines(doc, lines);

        var result = RunHelpBuilder(temp.FullName, temp.File("SleapPS.dll-Help.xml"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{doc}({heading + 1}): error SLEAPHELP: -VideoSearchPath has no ```yaml block", result.Stderr);
        Assert.False(File.Exists(temp.File("SleapPS.dll-Help.xml")), "nothing is written when a help file is faulty");
    }

    [Fact]
    public void A_missing_section_fails_naming_it()
    {
        using var temp = new TempDir();
        var lines = File.ReadAllLines(HelpDoc.PathOf("Export-SleapLabels")).ToList();
        var notes = lines.IndexOf("## NOTES");
        lines.RemoveRange(notes, lines.IndexOf("## RELATED LINKS") - notes);
        var doc = temp.File("Export-SleapLabels.md");
        File.WriteAllLines(doc, lines);
        File.Copy(HelpDoc.PathOf("Import-SleapLabels"), temp.File("Import-SleapLabels.md"));

        var result = RunHelpBuilder(temp.FullName, temp.File("SleapPS.dll-Help.xml"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{doc}({lines.IndexOf("# Export-SleapLabels") + 1}): error SLEAPHELP: Missing section ## NOTES.", result.Stderr);
        Assert.DoesNotContain("Import-SleapLabels.md", result.Stderr);
    }

    [Fact]
    public void A_syntax_line_naming_an_undocumented_parameter_fails()
    {
        using var temp = new TempDir();
        var text = File.ReadAllText(HelpDoc.PathOf("Import-SleapLabels"))
            .Replace("Import-SleapLabels -LiteralPath <String[]> [-VideoSearchPath", "Import-SleapLabels -LiteralPath <String[]> [-VideoFolder");
        var doc = temp.File("Import-SleapLabels.md");
        File.WriteAllText(doc, text);
        var line = Array.FindIndex(File.ReadAllLines(doc), l => l.Contains("[-VideoFolder")) + 1;

        var result = RunHelpBuilder(temp.FullName, temp.File("SleapPS.dll-Help.xml"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{doc}({line}): error SLEAPHELP: The syntax names -VideoFolder, which has no '### -VideoFolder' entry under ## PARAMETERS.", result.Stderr);
    }

    private static ExternalProcess.Result RunHelpBuilder(string docs, string output)
    {
        // Built with the same configuration as this test assembly, through src/SleapPS's reference to it.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var tool = Path.Combine(Paths.RepoRoot, "tools", "SleapPS.HelpBuilder", "bin", configuration, "net10.0", "SleapPS.HelpBuilder.dll");
        Assert.True(File.Exists(tool), $"The help builder is not built at {tool}.");
        return ExternalProcess.Run("dotnet", [tool, docs, output]);
    }

    private static List<string> ExportedCmdlets(PowerShellHost host) =>
        host.Run("(Get-Command -Module SleapPS -CommandType Cmdlet).Name").Output.Select(o => o.ToString()).ToList();

    private static string Scalar(PowerShellHost host, string script, IDictionary<string, object?>? vars = null)
    {
        var result = host.Run(script, vars);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Output).ToString();
    }

    private static List<string> Strings(PowerShellHost host, string script, IDictionary<string, object?>? vars = null)
    {
        var result = host.Run(script, vars);
        Assert.Empty(result.Errors);
        return result.Output.Select(o => o.ToString()).ToList();
    }

    /// <summary>The hashtables a script emits, their values as text.</summary>
    private static List<Dictionary<string, string>> Rows(PowerShellHost host, string script, IDictionary<string, object?>? vars = null)
    {
        var result = host.Run(script, vars);
        Assert.Empty(result.Errors);
        return result.Output
            .Select(o => ((Hashtable)o.BaseObject).Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? ""))
            .ToList();
    }

    /// <summary>Whitespace runs to one space: Markdown's line wrapping and Get-Help's paragraph breaks do not matter.</summary>
    private static string Normalize(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    /// <summary>Prose as Get-Help prints it: inline code without its backticks.</summary>
    private static string Plain(string markdown) => Regex.Replace(markdown, "`+([^`]+?)`+", "$1");

    /// <summary>A help file read the simple way: sections by their ## lines, entries by their ### lines, fences toggled.</summary>
    private sealed class HelpDoc(string[] lines)
    {
        public static string PathOf(string name) => Path.Combine(Paths.RepoRoot, "docs", "cmdlets", name + ".md");

        public static HelpDoc Read(string name) => new(File.ReadAllLines(PathOf(name)));

        public string Synopsis => SectionLines("SYNOPSIS").First(l => l.Trim().Length > 0).Trim();

        public string Section(string name) => string.Join('\n', SectionLines(name));

        /// <summary>The ### headings of a section (INPUTS, OUTPUTS: the type names).</summary>
        public List<string> Subheadings(string name) =>
            OutsideCode(SectionLines(name)).Where(l => l.StartsWith("### ")).Select(l => l[4..].Trim()).ToList();

        public List<(string Title, string Code)> Examples
        {
            get
            {
                var section = SectionLines("EXAMPLES");
                var examples = new List<(string, string)>();
                for (var i = 0; i < section.Count; i++)
                {
                    if (!section[i].StartsWith("### ")) continue;
                    var fence = section.FindIndex(i, l => l.StartsWith("```powershell"));
                    var end = section.FindIndex(fence + 1, l => l == "```");
                    examples.Add((section[i][4..].Trim(), string.Join('\n', section.Skip(fence + 1).Take(end - fence - 1))));
                    i = end;
                }
                return examples;
            }
        }

        public List<(string Name, string Description, string DefaultValue)> Parameters
        {
            get
            {
                var section = SectionLines("PARAMETERS");
                var parameters = new List<(string, string, string)>();
                for (var i = 0; i < section.Count; i++)
                {
                    if (!section[i].StartsWith("### -")) continue;
                    var yaml = section.FindIndex(i, l => l == "```yaml");
                    var end = section.FindIndex(yaml, l => l == "```");
                    var defaultLine = section.Skip(yaml).Take(end - yaml).Single(l => l.StartsWith("Default value:"));
                    parameters.Add((section[i][5..].Trim(),
                        Normalize(string.Join(' ', section.Skip(i + 1).Take(yaml - i - 1))),
                        defaultLine["Default value:".Length..].Trim()));
                    i = end;
                }
                return parameters;
            }
        }

        private List<string> SectionLines(string name)
        {
            var start = Array.IndexOf(lines, "## " + name);
            Assert.True(start >= 0, $"no ## {name}");
            var end = start + 1;
            var inCode = false;
            for (; end < lines.Length; end++)
            {
                if (lines[end].StartsWith("```")) inCode = !inCode;
                else if (!inCode && lines[end].StartsWith("## ")) break;
            }
            return lines[(start + 1)..end].ToList();
        }

        private static IEnumerable<string> OutsideCode(IEnumerable<string> lines)
        {
            var inCode = false;
            foreach (var line in lines)
            {
                if (line.StartsWith("```")) inCode = !inCode;
                else if (!inCode) yield return line;
            }
        }
    }
}
