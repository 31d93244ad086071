using System.Text;

namespace SleapPS.Fuzz.Mutations;

/// <summary>
/// YAML mutations on the lines: a key repeated at its indentation, a value of the wrong type (or a tag that asks for
/// code), a value nested thousands deep, an alias bomb (a billion laughs), a line moved to another indentation.
/// </summary>
public static class YamlMutations
{
    public static readonly IReadOnlyList<string> Names = ["yaml-duplicate-key", "yaml-wrong-type", "yaml-deep-nesting", "yaml-alias-bomb", "yaml-indent"];

    private static readonly string[] OtherTypes =
    [
        "x", "''", "-1", "0", "1e400", ".nan", ".inf", "~", "true", "[]", "{}", "[1, 2, 3]", "{a: 1}", "99999999999999999999999",
        "!!binary AAAA", "!!python/object/apply:os.system [ls]", "!!int x", "&anchor 3", "*missing", "|\n  text", "2026-12-06",
    ];

    public static byte[] Apply(byte[] original, string mutation, Random rng)
    {
        var lines = Encoding.UTF8.GetString(original).Split('\n').ToList();
        var keyed = Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains(':') && !lines[i].TrimStart().StartsWith('#')).ToList();
        if (keyed.Count == 0) return BinaryMutations.Flip(original, rng);
        int at = keyed[rng.Next(keyed.Count)];
        string line = lines[at];
        int colon = line.IndexOf(':');
        string indent = line[..(line.Length - line.TrimStart().Length)];
        switch (mutation)
        {
            case "yaml-duplicate-key":
                lines.Insert(at + 1, rng.Next(2) == 0 ? line : line[..(colon + 1)] + " " + OtherTypes[rng.Next(OtherTypes.Length)]);
                break;
            case "yaml-wrong-type":
                lines[at] = line[..(colon + 1)] + " " + OtherTypes[rng.Next(OtherTypes.Length)].Replace("\n", "\n" + indent);
                break;
            case "yaml-deep-nesting":
                int depth = rng.Next(2) == 0 ? rng.Next(64, 1000) : rng.Next(1000, 100_000);
                lines[at] = line[..(colon + 1)] + " " + new string('[', depth) + new string(']', depth);
                break;
            case "yaml-alias-bomb":
                var bomb = AliasBomb(rng.Next(4, 12));
                lines.InsertRange(0, bomb);
                lines[at + bomb.Count] = line[..(colon + 1)] + " *bomb";
                break;
            default: // yaml-indent
                lines[at] = (rng.Next(2) == 0 ? indent + new string(' ', 1 + rng.Next(4)) : indent[..(indent.Length / 2)]) + line.TrimStart();
                break;
        }
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    /// <summary>Anchors that each list the one before ten times: expanded, <paramref name="levels"/> levels make 10^levels strings.</summary>
    private static List<string> AliasBomb(int levels)
    {
        var lines = new List<string> { "bomb0: &bomb0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (int level = 1; level < levels; level++)
            lines.Add($"bomb{level}: &{(level == levels - 1 ? "bomb" : $"bomb{level}")} [{string.Join(", ", Enumerable.Repeat($"*bomb{level - 1}", 10))}]");
        return lines;
    }
}
