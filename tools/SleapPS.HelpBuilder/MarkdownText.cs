namespace SleapPS.HelpBuilder;

/// <summary>
/// Markdown prose to the paragraphs MAML holds. Get-Help prints them as plain text, so inline code loses its
/// backticks (`-Force` reads -Force); code blocks keep their lines as written.
/// </summary>
public static class MarkdownText
{
    /// <summary>
    /// One paragraph per text block. Wrapped lines join with a space, as Markdown renders them, so
    /// Get-Help can wrap them to the console; list items and table rows keep their own lines.
    /// A code block in prose keeps its lines as they are.
    /// </summary>
    public static List<string> Paragraphs(IEnumerable<Block> blocks) => blocks.Select(block => block switch
    {
        TextBlock text => InlineCodeSpan.Replace(JoinLines(text.Lines), "$1"),
        CodeBlock code => string.Join('\n', code.Lines),
        _ => throw new ArgumentOutOfRangeException(nameof(blocks)),
    }).ToList();

    private static string JoinLines(IReadOnlyList<string> lines)
    {
        var text = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (text.Length > 0) text.Append(StartsOwnLine(trimmed) ? '\n' : ' ');
            text.Append(trimmed);
        }
        return text.ToString();
    }

    /// <summary>A code span: backticks, the code, backticks.</summary>
    private static readonly System.Text.RegularExpressions.Regex InlineCodeSpan = new(@"`+([^`]+?)`+");

    /// <summary>List items ("- ", "* ", "+ ", "1. ") and table rows ("|").</summary>
    private static bool StartsOwnLine(string line)
    {
        if (line.StartsWith('|') || line.StartsWith("- ") || line.StartsWith("* ") || line.StartsWith("+ ")) return true;
        var digits = line.TakeWhile(char.IsAsciiDigit).Count();
        return digits > 0 && line.Length > digits + 1 && line[digits] == '.' && line[digits + 1] == ' ';
    }
}
