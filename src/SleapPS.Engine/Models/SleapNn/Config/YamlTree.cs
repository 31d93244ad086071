namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>
/// A YAML document as plain data: mappings with string keys, sequences and untyped scalars, each with the line it
/// starts on so errors can point at it (docs/design/sleap-nn-config.md §2). Scalars keep their text and whether they
/// were quoted; <see cref="YamlFields"/> decides what type a value has, as the field it fills requires.
/// </summary>
internal abstract class YamlValue(int line)
{
    /// <summary>1-based line where the value is written: its key's line for a mapping entry, else where it starts.</summary>
    public int Line { get; } = line;
}

/// <summary>A scalar: its text, and whether it was written plain (unquoted, so <c>null</c> or <c>true</c> mean those).</summary>
internal sealed class YamlScalar(int line, string text, bool plain) : YamlValue(line)
{
    public string Text { get; } = text;

    public bool Plain { get; } = plain;

    /// <summary>YAML's plain nulls: <c>null</c>, <c>Null</c>, <c>NULL</c>, <c>~</c> and nothing at all.</summary>
    public bool IsNull => Plain && Text is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed class YamlSequence(int line, IReadOnlyList<YamlValue> items) : YamlValue(line)
{
    public IReadOnlyList<YamlValue> Items { get; } = items;
}

internal sealed class YamlMapping(int line, IReadOnlyList<KeyValuePair<string, YamlValue>> entries) : YamlValue(line)
{
    private readonly Dictionary<string, YamlValue> _byKey = entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>Entries in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, YamlValue>> Entries { get; } = entries;

    /// <summary>The value under <paramref name="key"/>; null when the key is absent (a YAML null is a <see cref="YamlScalar"/>).</summary>
    public YamlValue? this[string key] => _byKey.GetValueOrDefault(key);
}
