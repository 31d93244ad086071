namespace SleapPS.Fuzz.Mutations;

/// <summary>Just enough of a JSON scanner to find keys and the extent of their values in text that may already be odd.</summary>
public static class JsonScan
{
    /// <summary>Each object key outside strings: where its opening quote is and where its value starts.</summary>
    public static List<(int KeyStart, int ValueStart)> Keys(string text)
    {
        var keys = new List<(int, int)>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '"') continue;
            int end = StringEnd(text, i);
            int colon = SkipSpace(text, end);
            if (colon < text.Length && text[colon] == ':')
                keys.Add((i, SkipSpace(text, colon + 1)));
            i = end - 1;
        }
        return keys;
    }

    /// <summary>The index just past the value that starts at <paramref name="start"/> (a string, a bracketed value, or a bare word).</summary>
    public static int ValueEnd(string text, int start)
    {
        if (start >= text.Length) return text.Length;
        if (text[start] == '"') return StringEnd(text, start);
        if (text[start] is '{' or '[')
        {
            int depth = 0;
            for (int i = start; i < text.Length; i++)
            {
                switch (text[i])
                {
                    case '"': i = StringEnd(text, i) - 1; break;
                    case '{' or '[': depth++; break;
                    case '}' or ']':
                        if (--depth == 0) return i + 1;
                        break;
                }
            }
            return text.Length;
        }
        int j = start;
        while (j < text.Length && text[j] is not (',' or '}' or ']') && !char.IsWhiteSpace(text[j])) j++;
        return j;
    }

    /// <summary>The index just past the string whose opening quote is at <paramref name="start"/>.</summary>
    public static int StringEnd(string text, int start)
    {
        for (int i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '"') return i + 1;
        }
        return text.Length;
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        return i;
    }
}
