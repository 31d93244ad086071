using System.Globalization;
using System.Text;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// Frame lists as sleap-track's <c>--frames</c> takes them (docs/design/inference.md §16.2): "0-99,200,300-310", ranges
/// inclusive. Frames keep the order given; a frame named twice is predicted once.
/// </summary>
public static class FrameRanges
{
    /// <summary>Parses "0-99,200,300-310" (spaces allowed) into frame indices.</summary>
    /// <exception cref="SleapException">InvalidArgument naming the piece that is not a frame or a range.</exception>
    public static IReadOnlyList<long> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var frames = new List<long>();
        var seen = new HashSet<long>();
        foreach (string rawPiece in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (rawPiece.Length == 0) continue;
            int dash = rawPiece.IndexOf('-', 1);
            long first, last;
            if (dash < 0)
            {
                first = last = ParseFrame(rawPiece, text);
            }
            else
            {
                first = ParseFrame(rawPiece[..dash].Trim(), text);
                last = ParseFrame(rawPiece[(dash + 1)..].Trim(), text);
                if (last < first)
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"The frame range '{rawPiece}' in '{text}' ends before it starts. Write ranges as first-last, e.g. '0-99'.");
            }
            for (long frame = first; frame <= last; frame++)
                if (seen.Add(frame)) frames.Add(frame);
        }
        if (frames.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"'{text}' names no frames. Give frame numbers and inclusive ranges, e.g. '0-99,200,300-310'.");
        return frames;
    }

    /// <summary>Frame indices given as numbers; duplicates dropped, order kept.</summary>
    /// <exception cref="SleapException">InvalidArgument for a negative frame.</exception>
    public static IReadOnlyList<long> FromIndices(IEnumerable<long> indices)
    {
        var frames = new List<long>();
        var seen = new HashSet<long>();
        foreach (long frame in indices)
        {
            if (frame < 0)
                throw new SleapException(SleapErrorKind.InvalidArgument, $"The frame {frame} is negative; frames are numbered from 0.");
            if (seen.Add(frame)) frames.Add(frame);
        }
        return frames;
    }

    /// <summary>The shortest text that <see cref="Parse"/> reads back as <paramref name="frames"/> (ascending runs become ranges).</summary>
    public static string Format(IReadOnlyList<long> frames)
    {
        var text = new StringBuilder();
        for (int i = 0; i < frames.Count;)
        {
            int end = i;
            while (end + 1 < frames.Count && frames[end + 1] == frames[end] + 1) end++;
            if (text.Length > 0) text.Append(',');
            text.Append(frames[i].ToString(CultureInfo.InvariantCulture));
            if (end > i) text.Append('-').Append(frames[end].ToString(CultureInfo.InvariantCulture));
            i = end + 1;
        }
        return text.ToString();
    }

    private static long ParseFrame(string piece, string text)
    {
        if (long.TryParse(piece, NumberStyles.None, CultureInfo.InvariantCulture, out long frame))
            return frame;
        throw new SleapException(SleapErrorKind.InvalidArgument,
            $"'{piece}' in the frame list '{text}' is not a frame number or a range. Give frame numbers (from 0) and inclusive ranges, e.g. '0-99,200,300-310'.");
    }
}
