using System.Text.Json;

namespace SleapPS.Engine.IO.Json;

/// <summary>Looks at the keys of a JSON file's top-level object without building the document.</summary>
internal static class JsonTopLevel
{
    /// <summary>True when the file's top-level object has every key named; false for anything that is not such JSON.</summary>
    public static bool HasKeys(string path, params string[] keys)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(File.ReadAllBytes(path), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                found.Add(reader.GetString()!);
                reader.Read();
                reader.Skip(); // the whole file is in the buffer, so a container's value is skipped to its end
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Python's json writes NaN bare, which this reader refuses; such a file is SLEAP's, not COCO. A key that is
            // not valid UTF-8 (InvalidOperationException from GetString) is damage the reader tried next reports with
            // the file's name (docs/design/reliability.md §2).
            return false;
        }
        return keys.All(found.Contains);
    }
}
