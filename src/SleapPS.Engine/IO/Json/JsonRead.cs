using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleapPS.Engine.IO.Json;

/// <summary>
/// Typed reads of JSON values that work the same for parsed documents and for nodes built in memory
/// (where <see cref="JsonValue.TryGetValue{T}"/> only succeeds for the exact CLR type stored).
/// </summary>
internal static class JsonRead
{
    public static bool TryGetLong(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return false;
        string text = v.ToJsonString();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value)) return true;
        // SLEAP sometimes writes whole numbers as floats (1.0).
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) < 9e18)
        {
            value = (long)d;
            return true;
        }
        return false;
    }

    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = double.NaN;
        if (node is not JsonValue v) return false;
        switch (v.GetValueKind())
        {
            case JsonValueKind.Number:
                return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            case JsonValueKind.String:
                // Python's json writes NaN/Infinity bare, System.Text.Json reads them only as these strings.
                string s = v.GetValue<string>();
                return s is "NaN" or "Infinity" or "-Infinity" && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            default:
                return false;
        }
    }

    public static string? GetString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool? GetBool(JsonNode? node) =>
        node is JsonValue v ? v.GetValueKind() switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null } : null;

    public static int? GetInt(JsonNode? node) => TryGetLong(node, out long value) && value is >= int.MinValue and <= int.MaxValue ? (int)value : null;

    public static string Describe(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}
