namespace SleapPS.HelpBuilder;

/// <summary>A help file that does not follow the platyPS layout; names the file and the line at fault.</summary>
public sealed class HelpFormatException(string path, int line, string message) : Exception(message)
{
    public string Path { get; } = path;

    /// <summary>1-based line number.</summary>
    public int Line { get; } = line;

    /// <summary>The canonical "file(line): error CODE: message" form that MSBuild's Exec task reports as a build error.</summary>
    public string ToBuildError() => $"{Path}({Line}): error SLEAPHELP: {Message}";
}
