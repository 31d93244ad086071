using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleapPS.Engine.IO.Json;

/// <summary>
/// Converts between JSON nodes and plain .NET values (<see cref="Dictionary{TKey,TValue}"/> of string to object,
/// <see cref="List{T}"/> of object, string, long, double, bool, null), the form <see cref="Data.Labels.Provenance"/> holds.
/// </summary>
public static class JsonValues
{
    /// <summary>JSON to plain values: objects become dictionaries, arrays lists, whole numbers long, other numbers double.</summary>
    public static object? ToPlain(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject o:
                var dictionary = new Dictionary<string, object?>(o.Count);
                foreach (var (key, value) in o) dictionary[key] = ToPlain(value);
                return dictionary;
            case JsonArray a:
                var list = new List<object?>(a.Count);
                foreach (JsonNode? item in a) list.Add(ToPlain(item));
                return list;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: return v.GetValue<string>();
                    case JsonValueKind.True: return true;
                    case JsonValueKind.False: return false;
                    case JsonValueKind.Number:
                        string text = v.ToJsonString();
                        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long whole))
                            return whole;
                        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                    default: return null;
                }
            default:
                throw new ArgumentException($"Unexpected JSON node type {node.GetType().Name}.", nameof(node));
        }
    }

    /// <summary>
    /// Plain values to JSON. Accepts any <see cref="IDictionary"/> (keys written with their invariant text) and any
    /// non-string <see cref="IEnumerable"/>, so PowerShell hashtables and arrays convert as well.
    /// </summary>
    /// <exception cref="SleapException">A value has no JSON form (InvalidArgument).</exception>
    public static JsonNode? FromPlain(object? value)
    {
        switch (value)
        {
            case null: return null;
            case JsonNode node: return node.DeepClone();
            case string s: return JsonValue.Create(s);
            case bool b: return JsonValue.Create(b);
            case char c: return JsonValue.Create(c.ToString());
            case sbyte or byte or short or ushort or int or uint or long:
                return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case ulong u: return JsonValue.Create(u);
            case float f: return JsonValue.Create((double)f);
            case double d: return JsonValue.Create(d);
            case decimal m: return JsonValue.Create(m);
            case DateTime or DateTimeOffset or Guid or Enum:
                return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
            case IDictionary dictionary:
                var o = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                    o[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = FromPlain(entry.Value);
                return o;
            case IEnumerable items:
                var a = new JsonArray();
                foreach (object? item in items) a.Add(FromPlain(item));
                return a;
            default:
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"Cannot store a value of type {value.GetType().FullName} ('{value}') as JSON. Use strings, numbers, booleans, lists or dictionaries.");
        }
    }
}
