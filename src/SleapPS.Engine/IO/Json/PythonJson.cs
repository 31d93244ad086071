using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleapPS.Engine.IO.Json;

/// <summary>
/// Parses JSON written by Python's json module, which writes the non-standard literals NaN, Infinity and
/// -Infinity. System.Text.Json rejects them, so they are turned into the strings "NaN", "Infinity" and
/// "-Infinity" (which <see cref="JsonRead.TryGetDouble"/> reads back as numbers).
/// </summary>
public static class PythonJson
{
    /// <exception cref="InvalidDataException">The text is not JSON, or repeats a key within an object.</exception>
    public static JsonNode? Parse(string text)
    {
        try
        {
            return ParseChecked(text);
        }
        catch (JsonException) when (ContainsPythonLiteral(text))
        {
            return ParseStrict(QuotePythonLiterals(text));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The JSON text is malformed: {ex.Message}", ex);
        }
    }

    private static JsonNode? ParseStrict(string text)
    {
        try { return ParseChecked(text); }
        catch (JsonException ex) { throw new InvalidDataException($"The JSON text is malformed: {ex.Message}", ex); }
    }

    /// <summary>Parses, then refuses a key repeated in one object (which JsonNode would only trip over later).</summary>
    public static JsonNode? ParseChecked(string text)
    {
        var node = JsonNode.Parse(text);
        JsonDuplicateKeys.Check(text);
        return node;
    }

    private static bool ContainsPythonLiteral(string text) =>
        text.Contains("NaN", StringComparison.Ordinal) || text.Contains("Infinity", StringComparison.Ordinal);

    private static string QuotePythonLiterals(string text)
    {
        var result = new StringBuilder(text.Length + 16);
        bool inString = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                result.Append(c);
                if (c == '\\' && i + 1 < text.Length) result.Append(text[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') { inString = true; result.Append(c); continue; }
            string? literal = MatchAt(text, i, "-Infinity") ?? MatchAt(text, i, "Infinity") ?? MatchAt(text, i, "NaN");
            if (literal is null) { result.Append(c); continue; }
            result.Append('"').Append(literal).Append('"');
            i += literal.Length - 1;
        }
        return result.ToString();
    }

    private static string? MatchAt(string text, int index, string literal) =>
        string.CompareOrdinal(text, index, literal, 0, literal.Length) == 0 ? literal : null;
}
