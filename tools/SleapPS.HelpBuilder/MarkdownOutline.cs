namespace SleapPS.HelpBuilder;

/// <summary>A piece of a section's body: a paragraph (consecutive non-blank lines) or a fenced code block.</summary>
public abstract record Block(int Line);

public sealed record TextBlock(int Line, IReadOnlyList<string> Lines) : Block(Line);

/// <summary>A ``` fenced block; Info is what follows the opening fence ("powershell", "yaml" or empty).</summary>
public sealed record CodeBlock(int Line, string Info, IReadOnlyList<string> Lines) : Block(Line);

/// <summary>A heading with the blocks under it and, for ## headings, its ### subsections.</summary>
public sealed record Section(int Line, string Title, List<Block> Blocks, List<Section> Subsections);

/// <summary>
/// The structure of a platyPS help file: front matter, one # heading, ## sections holding ### subsections.
/// Headings inside code blocks are code, not structure.
/// </summary>
public sealed record MarkdownOutline(
    string Path,
    IReadOnlyDictionary<string, string> FrontMatter,
    Section Title,
    IReadOnlyList<Section> Sections)
{
    public static MarkdownOutline Read(string path) => Parse(path, File.ReadAllLines(path));

    public static MarkdownOutline Parse(string path, IReadOnlyList<string> lines)
    {
        var (frontMatter, index) = ReadFrontMatter(path, lines);
        Section? title = null;
        var sections = new List<Section>();
        Section? current = null; // the innermost open heading
        var paragraph = new List<string>();
        var paragraphLine = 0;

        void EndParagraph()
        {
            if (paragraph.Count == 0) return;
            current!.Blocks.Add(new TextBlock(paragraphLine, paragraph.ToList()));
            paragraph.Clear();
        }

        for (; index < lines.Count; index++)
        {
            var line = lines[index];
            var lineNumber = index + 1;
            if (string.IsNullOrWhiteSpace(line))
            {
                if (current is not null) EndParagraph();
                continue;
            }
            if (line.StartsWith('#'))
            {
                var level = line.TakeWhile(c => c == '#').Count();
                if (level > 3 || line.Length == level || line[level] != ' ')
                    throw new HelpFormatException(path, lineNumber,
                        $"'{line}' is not a #, ## or ### heading; the platyPS layout uses only those (put '# ' text in a code block).");
                if (current is not null) EndParagraph();
                var heading = new Section(lineNumber, line[level..].Trim(), [], []);
                switch (level)
                {
                    case 1 when title is not null:
                        throw new HelpFormatException(path, lineNumber, $"A second # heading ('{heading.Title}'); a help file documents one command.");
                    case 1:
                        title = heading;
                        break;
                    case 2 when title is null:
                        throw new HelpFormatException(path, lineNumber, $"## {heading.Title} comes before the # heading with the command's name.");
                    case 2:
                        sections.Add(heading);
                        break;
                    case 3 when sections.Count == 0:
                        throw new HelpFormatException(path, lineNumber, $"### {heading.Title} is not inside a ## section.");
                    case 3:
                        sections[^1].Subsections.Add(heading);
                        break;
                }
                current = heading;
                continue;
            }
            if (current is null)
                throw new HelpFormatException(path, lineNumber, "Text before the # heading with the command's name.");
            if (line.StartsWith("```"))
            {
                EndParagraph();
                var end = index + 1;
                while (end < lines.Count && lines[end].TrimEnd() != "```") end++;
                if (end == lines.Count)
                    throw new HelpFormatException(path, lineNumber, "This code block is never closed (no line with just ``` after it).");
                current.Blocks.Add(new CodeBlock(lineNumber, line[3..].Trim(), lines.Skip(index + 1).Take(end - index - 1).ToList()));
                index = end;
                continue;
            }
            if (paragraph.Count == 0) paragraphLine = lineNumber;
            paragraph.Add(line);
        }
        if (current is not null) EndParagraph();
        if (title is null)
            throw new HelpFormatException(path, index, "No # heading with the command's name.");
        return new MarkdownOutline(path, frontMatter, title, sections);
    }

    /// <summary>The "key: value" lines between the two --- lines that open the file.</summary>
    private static (Dictionary<string, string> Values, int NextIndex) ReadFrontMatter(string path, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0 || lines[0].TrimEnd() != "---")
            throw new HelpFormatException(path, 1, "The file does not start with front matter (a --- line, 'external help file: ...', a --- line).");
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var index = 1; index < lines.Count; index++)
        {
            var line = lines[index];
            if (line.TrimEnd() == "---") return (values, index + 1);
            var colon = line.IndexOf(':');
            if (colon <= 0)
                throw new HelpFormatException(path, index + 1, $"Front matter line '{line}' is not 'key: value'.");
            values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        throw new HelpFormatException(path, 1, "The front matter is never closed (no second --- line).");
    }
}
