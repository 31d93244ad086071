using System.Text;

namespace SleapPS.Fuzz.Mutations;

/// <summary>
/// JSON mutations on the text: a key repeated in its object, a value of the wrong type, a value nested thousands
/// deep, a huge number or string, a key dropped.
/// </summary>
public static class JsonMutations
{
    public static readonly IReadOnlyList<string> Names = ["json-duplicate-key", "json-wrong-type", "json-deep-nesting", "json-huge-value", "json-drop-key"];

    private static readonly string[] OtherTypes =
        ["\"x\"", "\"\"", "-1", "0", "1e308", "-1e308", "99999999999999999999999", "3.5", "null", "true", "[]", "{}", "[1, 2, 3]", "{\"a\": 1}", "NaN", "Infinity"];

    public static byte[] Apply(byte[] original, string mutation, Random rng)
    {
        string text = Encoding.UTF8.GetString(original);
        var keys = JsonScan.Keys(text);
        if (keys.Count == 0) return BinaryMutations.Flip(original, rng);
        var (keyStart, valueStart) = keys[rng.Next(keys.Count)];
        int valueEnd = JsonScan.ValueEnd(text, valueStart);
        string key = text[keyStart..JsonScan.StringEnd(text, keyStart)];
        string value = text[valueStart..valueEnd];
        string mutated = mutation switch
        {
            // The same key again right after the value: the one object now has it twice.
            "json-duplicate-key" => text[..valueEnd] + ", " + key + ": " + (rng.Next(2) == 0 ? value : OtherTypes[rng.Next(OtherTypes.Length)]) + text[valueEnd..],
            "json-wrong-type" => Replace(text, valueStart, valueEnd, OtherTypes[rng.Next(OtherTypes.Length)]),
            "json-deep-nesting" => Replace(text, valueStart, valueEnd, Nested(rng)),
            "json-huge-value" => Replace(text, valueStart, valueEnd, rng.Next(2) == 0
                ? "1" + new string('0', rng.Next(20, 400))
                : "\"" + new string('x', rng.Next(1, 4_000_000)) + "\""),
            _ => DropKey(text, keyStart, valueEnd),
        };
        return Encoding.UTF8.GetBytes(mutated);
    }

    /// <summary>Arrays or objects nested 64 to 100,000 deep.</summary>
    private static string Nested(Random rng)
    {
        int depth = rng.Next(2) == 0 ? rng.Next(64, 1000) : rng.Next(1000, 100_000);
        return rng.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    private static string Replace(string text, int start, int end, string with) => text[..start] + with + text[end..];

    private static string DropKey(string text, int keyStart, int valueEnd)
    {
        int end = valueEnd;
        while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
        if (end < text.Length && text[end] == ',') end++;
        return text[..keyStart] + text[end..];
    }
}
