using System.Globalization;
using System.Text;

namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// The two string spellings of pickle protocol 0 (docs/design/file-formats.md §13.2): UNICODE lines in Python's
/// raw-unicode-escape (Latin-1 bytes, with \uXXXX and \UXXXXXXXX for everything else) and STRING lines as a quoted
/// Python bytes literal. Decoding only; nothing is evaluated.
/// </summary>
internal static class RawUnicodeEscape
{
    public static string Decode(ReadOnlySpan<byte> line, Func<Exception> broken)
    {
        var text = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            byte b = line[i];
            int digits = b == '\\' && i + 1 < line.Length ? line[i + 1] switch { (byte)'u' => 4, (byte)'U' => 8, _ => 0 } : 0;
            if (digits == 0) { text.Append((char)b); continue; }
            if (i + 2 + digits > line.Length
                || !int.TryParse(Encoding.ASCII.GetString(line.Slice(i + 2, digits)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
                || code > 0x10FFFF)
                throw broken();
            text.Append(char.ConvertFromUtf32(code));
            i += 1 + digits;
        }
        return text.ToString();
    }
}

/// <summary>A protocol 0 STRING: a Python bytes literal in quotes, its escapes decoded, its bytes read as Latin-1.</summary>
internal static class PythonStringLiteral
{
    public static string Decode(ReadOnlySpan<byte> line, Func<Exception> broken)
    {
        if (line.Length < 2 || line[0] != line[^1] || line[0] is not ((byte)'\'' or (byte)'"'))
            throw broken();
        var body = line[1..^1];
        var text = new StringBuilder(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            byte b = body[i];
            if (b != '\\') { text.Append((char)b); continue; }
            if (++i >= body.Length) throw broken();
            switch ((char)body[i])
            {
                case 'n': text.Append('\n'); break;
                case 't': text.Append('\t'); break;
                case 'r': text.Append('\r'); break;
                case '\\': text.Append('\\'); break;
                case '\'': text.Append('\''); break;
                case '"': text.Append('"'); break;
                case 'x' when i + 2 < body.Length && byte.TryParse(Encoding.ASCII.GetString(body.Slice(i + 1, 2)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte hex):
                    text.Append((char)hex);
                    i += 2;
                    break;
                default: throw broken();
            }
        }
        return text.ToString();
    }
}
