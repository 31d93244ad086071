using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>
/// Turns YAML text into a <see cref="YamlValue"/> tree with YamlDotNet's parser (docs/design/sleap-nn-config.md §2).
/// Only data comes out: tags are not acted on (a <c>!!python/...</c> tag names no code that runs), anchors and aliases
/// are resolved to the values they name. A key given twice in one mapping is refused, naming it, as YAML requires.
/// </summary>
internal static partial class YamlTreeReader
{
    private const string Advice = "Use the training_config.yaml that sleap-nn wrote when it trained the model.";

    /// <summary>
    /// How deep lists and mappings may nest (sleap-nn's configs nest 5 deep). Deeper text is refused before it costs a
    /// deep recursion and long key paths (docs/design/reliability.md §2); System.Text.Json's default limit is the same.
    /// </summary>
    public const int MaxDepth = 64;

    /// <exception cref="SleapException">InvalidData naming the file and the line when the text is not one YAML mapping.</exception>
    public static YamlMapping Read(string text, string sourcePath)
    {
        var parser = new Events(new Parser(new StringReader(text)), sourcePath);
        var anchors = new Dictionary<string, YamlValue>(StringComparer.Ordinal);
        try
        {
            Expect<StreamStart>(parser);
            if (!parser.MoveNext() || parser.Current is StreamEnd)
                throw NotYaml(sourcePath, 1, "the file is empty");
            if (parser.Current is not DocumentStart)
                throw new InvalidOperationException("YAML parser gave no document start.");
            parser.MoveNext();
            YamlValue root = ReadValue(parser, anchors, sourcePath, "", null, 0);
            Expect<DocumentEnd>(parser);
            if (parser.MoveNext() && parser.Current is DocumentStart next)
                throw NotYaml(sourcePath, next.Start.Line, "it holds more than one YAML document, where a training config is one");
            return root as YamlMapping
                ?? throw NotYaml(sourcePath, root.Line, $"it must hold a mapping of settings (data_config, model_config, ...), not {YamlFields.Describe(root)}");
        }
        catch (YamlException ex)
        {
            // YamlDotNet prefixes its message with the marks; keep only its own words, and say where ourselves.
            string reason = MarkPrefix().Replace(ex.Message, "").TrimEnd('.');
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The training config '{sourcePath}' is not valid YAML: line {ex.Start.Line}, column {ex.Start.Column}: {reason}. {Advice}", sourcePath, ex);
        }
    }

    /// <param name="keyLine">For a mapping entry, its key's line: messages point there rather than at the line below where a nested block starts.</param>
    private static YamlValue ReadValue(Events parser, Dictionary<string, YamlValue> anchors, string sourcePath, string path, int? keyLine, int depth)
    {
        ParsingEvent current = parser.Current ?? throw new InvalidOperationException("YAML parser ended inside a document.");
        int line = keyLine ?? (int)current.Start.Line;
        if (depth > MaxDepth && current is SequenceStart or MappingStart)
            throw NotYaml(sourcePath, line, $"{Where(path.Length > 80 ? path[..80] + "…" : path)}nests lists or mappings more than {MaxDepth} deep, where a training config nests a few levels");
        YamlValue value;
        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                // A tag like !!str makes a scalar text whatever it looks like; other tags are not acted on.
                bool plain = scalar.Style == ScalarStyle.Plain && (scalar.Tag.IsEmpty || scalar.Tag.Value != "tag:yaml.org,2002:str");
                value = new YamlScalar(line, scalar.Value, plain);
                break;
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out var named) ? named
                    : throw NotYaml(sourcePath, line, $"the alias *{alias.Value.Value} names no anchor before it");
            case SequenceStart:
                parser.MoveNext();
                var items = new List<YamlValue>();
                while (parser.Current is not SequenceEnd)
                    items.Add(ReadValue(parser, anchors, sourcePath, $"{path}[{items.Count}]", null, depth + 1));
                parser.MoveNext();
                value = new YamlSequence(line, items);
                break;
            case MappingStart:
                parser.MoveNext();
                value = ReadMapping(parser, anchors, sourcePath, path, line, depth);
                break;
            default:
                throw NotYaml(sourcePath, line, $"unexpected {current.GetType().Name}");
        }
        if (current is NodeEvent { Anchor.IsEmpty: false } node)
            anchors[node.Anchor.Value] = value;
        return value;
    }

    private static YamlMapping ReadMapping(Events parser, Dictionary<string, YamlValue> anchors, string sourcePath, string path, int line, int depth)
    {
        var entries = new List<KeyValuePair<string, YamlValue>>();
        var keyLines = new Dictionary<string, int>(StringComparer.Ordinal);
        while (parser.Current is not MappingEnd)
        {
            int keyLine = (int)parser.Current!.Start.Line;
            if (parser.Current is not Scalar keyScalar)
                throw NotYaml(sourcePath, keyLine, $"{Where(path)}has a key that is not plain text (a list or mapping used as a key)");
            string key = keyScalar.Value;
            string keyPath = path.Length == 0 ? key : path + "." + key;
            if (keyLines.TryGetValue(key, out int firstLine))
                throw NotYaml(sourcePath, keyLine, $"the key {keyPath} is given twice (first on line {firstLine}); a YAML mapping holds each key once");
            keyLines[key] = keyLine;
            parser.MoveNext();
            entries.Add(new(key, ReadValue(parser, anchors, sourcePath, keyPath, keyLine, depth + 1)));
        }
        parser.MoveNext();
        return new YamlMapping(line, entries);
    }

    private static string Where(string path) => path.Length == 0 ? "the top-level mapping " : $"{path} ";

    private static void Expect<T>(Events parser) where T : ParsingEvent
    {
        if (parser.Current is T) return;
        if (!parser.MoveNext() || parser.Current is not T)
            throw new InvalidOperationException($"YAML parser gave {parser.Current?.GetType().Name ?? "nothing"} where {typeof(T).Name} was due.");
    }

    /// <summary>
    /// YamlDotNet's parser, whose failures all become "not valid YAML": some malformed texts make it throw other
    /// exceptions than <see cref="YamlException"/> (an InvalidOperationException inside its scanner, for one).
    /// </summary>
    private sealed class Events(IParser parser, string sourcePath)
    {
        private long _line = 1;

        public ParsingEvent? Current => parser.Current;

        public bool MoveNext()
        {
            try
            {
                bool moved = parser.MoveNext();
                if (parser.Current is { } current)
                    _line = current.End.Line;
                return moved;
            }
            catch (Exception ex) when (ex is not YamlException and (InvalidOperationException or ArgumentException or IndexOutOfRangeException))
            {
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"The training config '{sourcePath}' is not valid YAML: the YAML reader could not go on after line {_line} (look there for an unclosed bracket or quote). {Advice}",
                    sourcePath, ex);
            }
        }
    }

    private static SleapException NotYaml(string sourcePath, long line, string reason) => new(SleapErrorKind.InvalidData,
        $"The training config '{sourcePath}' is not valid YAML: line {line}: {reason}. {Advice}", sourcePath);

    [GeneratedRegex(@"^\(?Line: \d+, Col: \d+, Idx: \d+\)? - \(?Line: \d+, Col: \d+, Idx: \d+\)?:\s*")]
    private static partial Regex MarkPrefix();
}
