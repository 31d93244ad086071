using System.Text;
using System.Text.Json;

namespace SleapPS.Engine.IO.Json;

/// <summary>
/// Finds a key repeated within one JSON object. System.Text.Json parses such text but throws .NET's "An item with the
/// same key has already been added" later, wherever the object is first read, naming neither the file nor where the
/// key is (docs/design/reliability.md §2). Readers call this after parsing, so the error names the key and its place.
/// </summary>
internal static class JsonDuplicateKeys
{
    /// <exception cref="InvalidDataException">A key appears twice in one object; the message names it, its object's path and its line.</exception>
    public static void Check(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 1024 });
        var objects = new Stack<(HashSet<string>? Keys, string Path)>();
        // One set per depth, cleared and reused: a labels file has an object per point, and none needs its own set.
        var setsByDepth = new List<HashSet<string>>();
        string path = "";
        string? pendingKey = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        string childPath = pendingKey is null ? (objects.Count == 0 ? "" : path + "[]") : Join(path, pendingKey);
                        objects.Push((reader.TokenType == JsonTokenType.StartObject ? SetAt(setsByDepth, objects.Count) : null, path));
                        path = childPath;
                        pendingKey = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path = objects.Pop().Path;
                        break;
                    case JsonTokenType.PropertyName:
                        string key = reader.GetString()!;
                        if (objects.Peek().Keys is { } keys && !keys.Add(key))
                            throw new InvalidDataException(
                                $"The key '{key}' appears twice in {(path.Length == 0 ? "the top-level object" : $"the object at '{path}'")} (line {LineOf(utf8, reader.TokenStartIndex)}); remove one of them.");
                        pendingKey = key;
                        break;
                    default:
                        pendingKey = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Text the parser accepted but this stricter pass does not (comments, depth) has no duplicates to report here.
        }
    }

    private static HashSet<string> SetAt(List<HashSet<string>> setsByDepth, int depth)
    {
        while (setsByDepth.Count <= depth) setsByDepth.Add(new HashSet<string>(StringComparer.Ordinal));
        setsByDepth[depth].Clear();
        return setsByDepth[depth];
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static long LineOf(byte[] utf8, long offset) => 1 + utf8.AsSpan(0, (int)offset).Count((byte)'\n');
}
