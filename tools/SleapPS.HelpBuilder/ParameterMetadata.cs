namespace SleapPS.HelpBuilder;

/// <summary>The "Key: value" lines of a parameter's ```yaml block, checked one by one.</summary>
public sealed record ParameterMetadata(
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing)
{
    private const string TypeKey = "Type", SetsKey = "Parameter Sets", AliasesKey = "Aliases", AcceptedKey = "Accepted values",
        RequiredKey = "Required", PositionKey = "Position", DefaultKey = "Default value", PipelineKey = "Accept pipeline input",
        WildcardsKey = "Accept wildcard characters";

    private static readonly string[] RequiredKeys = [TypeKey, SetsKey, AliasesKey, RequiredKey, PositionKey, DefaultKey, PipelineKey, WildcardsKey];
    private static readonly string[] KnownKeys = [.. RequiredKeys, AcceptedKey];

    public static ParameterMetadata Read(string path, CodeBlock yaml, string parameter)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < yaml.Lines.Count; i++)
        {
            var line = yaml.Lines[i];
            var lineNumber = yaml.Line + 1 + i;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var colon = line.IndexOf(':');
            var key = colon > 0 ? line[..colon].Trim() : "";
            if (!KnownKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new HelpFormatException(path, lineNumber,
                    $"'{line}' in the yaml block of -{parameter} is not one of {string.Join(", ", KnownKeys.Select(k => k + ":"))}.");
            if (!values.TryAdd(key, (line[(colon + 1)..].Trim(), lineNumber)))
                throw new HelpFormatException(path, lineNumber, $"'{key}:' appears twice in the yaml block of -{parameter}.");
        }
        var missing = RequiredKeys.Where(k => !values.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new HelpFormatException(path, yaml.Line, $"The yaml block of -{parameter} lacks {string.Join(", ", missing.Select(k => k + ":"))}.");

        string Text(string key, bool allowEmpty = false)
        {
            var (value, line) = values[key];
            if (value.Length == 0 && !allowEmpty)
                throw new HelpFormatException(path, line, $"'{key}:' of -{parameter} is empty.");
            return value;
        }
        bool Boolean(string key)
        {
            var (value, line) = values[key];
            return bool.TryParse(value, out var result) ? result
                : throw new HelpFormatException(path, line, $"'{key}: {value}' of -{parameter} is not True or False.");
        }
        static List<string> List(string value) => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

        var sets = Text(SetsKey);
        var position = Text(PositionKey);
        if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase) && !int.TryParse(position, out _))
            throw new HelpFormatException(path, values[PositionKey].Line, $"'Position: {position}' of -{parameter} is neither Named nor a number.");
        var pipeline = Text(PipelineKey);
        if (!pipeline.Equals("False", StringComparison.OrdinalIgnoreCase) && !pipeline.StartsWith("True (", StringComparison.OrdinalIgnoreCase))
            throw new HelpFormatException(path, values[PipelineKey].Line,
                $"'Accept pipeline input: {pipeline}' of -{parameter} is neither False nor True (ByValue, ByPropertyName).");

        return new ParameterMetadata(
            Text(TypeKey),
            sets.Equals("(All)", StringComparison.OrdinalIgnoreCase) ? [] : List(sets),
            List(Text(AliasesKey, allowEmpty: true)),
            values.TryGetValue(AcceptedKey, out var accepted) ? List(accepted.Value) : [],
            Boolean(RequiredKey),
            position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position,
            Text(DefaultKey),
            pipeline,
            Boolean(WildcardsKey));
    }
}
