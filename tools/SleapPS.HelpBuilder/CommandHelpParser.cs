using System.Text.RegularExpressions;

namespace SleapPS.HelpBuilder;

/// <summary>
/// Reads one platyPS-layout help file (docs/cmdlets/&lt;Name&gt;.md). Strict: a missing or unknown section,
/// a parameter without its yaml block or a syntax line naming an undocumented parameter is an error
/// naming the file and line, so a slip in the docs fails the build instead of shipping broken help.
/// </summary>
public static partial class CommandHelpParser
{
    private static readonly string[] RequiredSections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    /// <summary>The ### entries under ## PARAMETERS that stand for PowerShell's common parameters, not one of the cmdlet's own.</summary>
    private static readonly string[] CommonParameterEntries = ["CommonParameters", "WorkflowCommonParameters"];

    public static CommandHelp Parse(MarkdownOutline outline, string helpFileName)
    {
        var path = outline.Path;
        CheckFrontMatter(outline, helpFileName);
        var name = outline.Title.Title;
        if (name != System.IO.Path.GetFileNameWithoutExtension(path))
            throw new HelpFormatException(path, outline.Title.Line, $"The # heading '{name}' is not the file's name; help for {name} belongs in {name}.md.");
        if (name.IndexOf('-') is <= 0 || name.EndsWith('-'))
            throw new HelpFormatException(path, outline.Title.Line, $"'{name}' is not a Verb-Noun command name.");
        if (outline.Title.Blocks.Count > 0)
            throw new HelpFormatException(path, outline.Title.Blocks[0].Line, "Text between the # heading and ## SYNOPSIS; it belongs in a section.");

        var sections = IndexSections(outline);
        var parameters = ReadParameters(path, sections["PARAMETERS"]);
        var parameterSets = ReadSyntax(path, sections["SYNTAX"], name, parameters);
        var links = ReadRelatedLinks(path, sections["RELATED LINKS"]);
        if (outline.FrontMatter.TryGetValue("online version", out var online) && online.Length > 0)
            links.Insert(0, new RelatedLink("Online Version:", online));

        return new CommandHelp(
            name,
            ReadSynopsis(path, sections["SYNOPSIS"]),
            ReadProse(path, sections["DESCRIPTION"], required: true),
            parameterSets,
            parameters,
            ReadTypes(path, sections["INPUTS"]),
            ReadTypes(path, sections["OUTPUTS"]),
            ReadProse(path, sections["NOTES"], required: false),
            ReadExamples(path, sections["EXAMPLES"]),
            links);
    }

    private static void CheckFrontMatter(MarkdownOutline outline, string helpFileName)
    {
        if (!outline.FrontMatter.TryGetValue("external help file", out var helpFile))
            throw new HelpFormatException(outline.Path, 1, $"The front matter has no 'external help file: {helpFileName}' line.");
        if (!string.Equals(helpFile, helpFileName, StringComparison.OrdinalIgnoreCase))
            throw new HelpFormatException(outline.Path, 1,
                $"The front matter says 'external help file: {helpFile}', but the help is generated into {helpFileName}; PowerShell looks for the cmdlet's help there.");
    }

    private static Dictionary<string, Section> IndexSections(MarkdownOutline outline)
    {
        var sections = new Dictionary<string, Section>();
        foreach (var section in outline.Sections)
        {
            if (!RequiredSections.Contains(section.Title))
                throw new HelpFormatException(outline.Path, section.Line,
                    $"Unknown section '## {section.Title}'; the platyPS layout has {string.Join(", ", RequiredSections.Select(s => "## " + s))}.");
            if (!sections.TryAdd(section.Title, section))
                throw new HelpFormatException(outline.Path, section.Line, $"A second '## {section.Title}' section.");
        }
        var missing = RequiredSections.Where(s => !sections.ContainsKey(s)).ToList();
        if (missing.Count > 0)
            throw new HelpFormatException(outline.Path, outline.Title.Line,
                $"Missing section{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(s => "## " + s))}.");
        return sections;
    }

    private static string ReadSynopsis(string path, Section section)
    {
        NoSubsections(path, section);
        var synopsis = string.Join(' ', MarkdownText.Paragraphs(section.Blocks));
        if (synopsis.Length == 0)
            throw new HelpFormatException(path, section.Line, "## SYNOPSIS is empty; write one sentence saying what the command does.");
        return synopsis;
    }

    private static List<string> ReadProse(string path, Section section, bool required)
    {
        NoSubsections(path, section);
        if (required && section.Blocks.Count == 0)
            throw new HelpFormatException(path, section.Line, $"## {section.Title} is empty.");
        return MarkdownText.Paragraphs(section.Blocks);
    }

    private static void NoSubsections(string path, Section section)
    {
        if (section.Subsections.Count > 0)
            throw new HelpFormatException(path, section.Subsections[0].Line,
                $"## {section.Title} has no ### entries in the platyPS layout; '### {section.Subsections[0].Title}' does not belong here.");
    }

    private static void NoText(string path, Section section, string expected)
    {
        if (section.Blocks.Count > 0)
            throw new HelpFormatException(path, section.Blocks[0].Line, $"Text directly under ## {section.Title}; it holds only {expected}.");
    }

    /// <summary>
    /// The parameter sets, from the ### names under ## SYNTAX (none: the cmdlet has one set). The syntax
    /// lines themselves are for readers (Get-Help builds its syntax from the parameters), but every
    /// parameter they name must be documented and be in that set.
    /// </summary>
    private static List<ParameterSetHelp> ReadSyntax(string path, Section section, string name, List<ParameterHelp> parameters)
    {
        var sets = new List<(ParameterSetHelp Set, CodeBlock Syntax)>();
        if (section.Subsections.Count == 0)
            sets.Add((new ParameterSetHelp(ParameterSetHelp.AllSets, IsDefault: true), SingleSyntaxBlock(path, section)));
        else
        {
            NoText(path, section, "### entries, one per parameter set");
            foreach (var subsection in section.Subsections)
            {
                var match = ParameterSetTitle().Match(subsection.Title);
                var set = new ParameterSetHelp(match.Groups["name"].Value, match.Groups["default"].Success);
                if (sets.Any(s => s.Set.Name == set.Name))
                    throw new HelpFormatException(path, subsection.Line, $"The parameter set '{set.Name}' is listed twice under ## SYNTAX.");
                sets.Add((set, SingleSyntaxBlock(path, subsection)));
            }
            if (sets.Count(s => s.Set.IsDefault) > 1)
                throw new HelpFormatException(path, section.Line, "More than one parameter set under ## SYNTAX is marked (Default).");
        }

        foreach (var (set, syntax) in sets)
        {
            var first = syntax.Lines.FirstOrDefault()?.Trim() ?? "";
            if (!first.StartsWith(name + " ") && first != name)
                throw new HelpFormatException(path, syntax.Line + 1, $"The syntax line does not start with the command's name, {name}.");
            for (var i = 0; i < syntax.Lines.Count; i++)
                foreach (Match token in SyntaxParameter().Matches(syntax.Lines[i]))
                {
                    var lineNumber = syntax.Line + 1 + i;
                    var parameterName = token.Groups["name"].Value;
                    var parameter = parameters.FirstOrDefault(p => p.Name.Equals(parameterName, StringComparison.OrdinalIgnoreCase))
                        ?? throw new HelpFormatException(path, lineNumber,
                            $"The syntax names -{parameterName}, which has no '### -{parameterName}' entry under ## PARAMETERS.");
                    if (!parameter.IsIn(set))
                        throw new HelpFormatException(path, lineNumber,
                            $"The syntax of the parameter set '{set.Name}' names -{parameterName}, whose yaml block says 'Parameter Sets: {string.Join(", ", parameter.ParameterSets)}'.");
                }
        }

        var setNames = sets.Select(s => s.Set.Name).ToHashSet();
        foreach (var parameter in parameters)
            foreach (var setName in parameter.ParameterSets.Where(s => !setNames.Contains(s)))
                throw new HelpFormatException(path, parameter.Line,
                    $"-{parameter.Name} is in the parameter set '{setName}', which is not one of those under ## SYNTAX ({string.Join(", ", setNames)}).");
        return sets.Select(s => s.Set).ToList();
    }

    private static CodeBlock SingleSyntaxBlock(string path, Section section)
    {
        if (section.Blocks is not [CodeBlock block])
            throw new HelpFormatException(path, section.Line, $"'{section.Title}' must hold exactly one ``` code block with the syntax line, and nothing else.");
        return block;
    }

    private static List<ParameterHelp> ReadParameters(string path, Section section)
    {
        NoText(path, section, "### -Name entries");
        var parameters = new List<ParameterHelp>();
        foreach (var entry in section.Subsections)
        {
            if (CommonParameterEntries.Contains(entry.Title)) continue;
            if (!entry.Title.StartsWith('-') || entry.Title.Length == 1 || entry.Title.Contains(' '))
                throw new HelpFormatException(path, entry.Line,
                    $"'### {entry.Title}' under ## PARAMETERS is neither '### -ParameterName' nor '### CommonParameters'.");
            var name = entry.Title[1..];
            if (parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                throw new HelpFormatException(path, entry.Line, $"-{name} is documented twice.");
            parameters.Add(ReadParameter(path, entry, name));
        }
        return parameters;
    }

    /// <summary>A parameter: its description, then one ```yaml block of metadata, then nothing.</summary>
    private static ParameterHelp ReadParameter(string path, Section entry, string name)
    {
        var yamlIndex = entry.Blocks.FindIndex(b => b is CodeBlock { Info: "yaml" });
        if (yamlIndex < 0)
            throw new HelpFormatException(path, entry.Line,
                $"-{name} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters).");
        if (yamlIndex + 1 < entry.Blocks.Count)
            throw new HelpFormatException(path, entry.Blocks[yamlIndex + 1].Line, $"Something follows the yaml block of -{name}; its description goes before it.");
        var description = entry.Blocks.Take(yamlIndex).ToList();
        if (description.Count == 0)
            throw new HelpFormatException(path, entry.Line, $"-{name} has no description before its yaml block.");
        if (description.OfType<CodeBlock>().FirstOrDefault() is { } stray)
            throw new HelpFormatException(path, stray.Line, $"A ```{stray.Info} block in the description of -{name}; only text goes before its yaml block.");

        var yaml = (CodeBlock)entry.Blocks[yamlIndex];
        var metadata = ParameterMetadata.Read(path, yaml, name);
        return new ParameterHelp(
            name,
            MarkdownText.Paragraphs(description),
            metadata.Type,
            metadata.ParameterSets,
            metadata.Aliases,
            metadata.AcceptedValues,
            metadata.Required,
            metadata.Position,
            metadata.DefaultValue,
            metadata.PipelineInput,
            metadata.Globbing,
            yaml.Line);
    }

    private static List<ExampleHelp> ReadExamples(string path, Section section)
    {
        NoText(path, section, "### Example N: Title entries");
        var examples = new List<ExampleHelp>();
        foreach (var entry in section.Subsections)
        {
            var code = entry.Blocks.OfType<CodeBlock>().ToList();
            if (code.Count == 0)
                throw new HelpFormatException(path, entry.Line, $"'### {entry.Title}' has no ```powershell code block.");
            examples.Add(new ExampleHelp(
                entry.Title,
                string.Join("\n\n", code.Select(c => string.Join('\n', c.Lines))),
                MarkdownText.Paragraphs(entry.Blocks.OfType<TextBlock>())));
        }
        return examples;
    }

    /// <summary>## INPUTS / ## OUTPUTS: one ### entry per type, with optional text.</summary>
    private static List<TypeHelp> ReadTypes(string path, Section section)
    {
        NoText(path, section, "### TypeName entries");
        if (section.Subsections.Count == 0)
            throw new HelpFormatException(path, section.Line, $"## {section.Title} lists no type; write '### None' when there is none.");
        return section.Subsections.Select(entry => new TypeHelp(entry.Title, MarkdownText.Paragraphs(entry.Blocks))).ToList();
    }

    private static List<RelatedLink> ReadRelatedLinks(string path, Section section)
    {
        NoSubsections(path, section);
        var links = new List<RelatedLink>();
        foreach (var block in section.Blocks)
        {
            if (block is not TextBlock text)
                throw new HelpFormatException(path, block.Line, "A code block under ## RELATED LINKS, which holds only [text](target) lines.");
            for (var i = 0; i < text.Lines.Count; i++)
            {
                var match = LinkLine().Match(text.Lines[i].Trim());
                if (!match.Success)
                    throw new HelpFormatException(path, text.Line + i, $"'{text.Lines[i]}' under ## RELATED LINKS is not a [text](target) link.");
                var target = match.Groups["target"].Value;
                // Links to other help files mean nothing to Get-Help; their text names the command to look up.
                var uri = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                    ? target : "";
                links.Add(new RelatedLink(match.Groups["text"].Value, uri));
            }
        }
        return links;
    }

    [GeneratedRegex(@"^(?<name>.+?)( \((?<default>Default)\))?$")]
    private static partial Regex ParameterSetTitle();

    [GeneratedRegex(@"(?<=^|[\s\[])-(?<name>[A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex SyntaxParameter();

    [GeneratedRegex(@"^\[(?<text>[^\]]+)\]\((?<target>[^)\s]*)\)$")]
    private static partial Regex LinkLine();
}
