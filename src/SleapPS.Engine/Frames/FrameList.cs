using System.Globalization;
using System.Text;

namespace SleapPS.Engine.Frames;

/// <summary>
/// A list of frames as users write it, the same for every cmdlet: frame numbers (from 0) and inclusive ranges
/// separated by commas, a range written "first-last" as sleap-track's <c>--frames</c> takes it (docs/design/inference.md
/// §16.2) or "first..last" as PowerShell writes ranges: "0-99,200,300..310". Frames keep the order given; a frame
/// named twice counts once. Ranges stay unexpanded until they are used, so a video's length can be checked first
/// (<see cref="Resolve"/>): a typo such as "0-99999999999" is then an error, not a hundred billion frames.
/// </summary>
public sealed class FrameList
{
    private readonly List<(long First, long Last)> _ranges;
    private readonly string _text;

    private FrameList(List<(long First, long Last)> ranges, string text)
    {
        _ranges = ranges;
        _text = text;
    }

    /// <summary>Parses "0-99,200,300..310" (spaces allowed around pieces and bounds).</summary>
    /// <exception cref="SleapException">InvalidArgument naming the piece that is neither a frame nor a range (<see cref="Refuse"/>).</exception>
    public static FrameList Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ranges = new List<(long, long)>();
        foreach (string rawPiece in text.Split(','))
        {
            string piece = rawPiece.Trim();
            int dots = piece.IndexOf("..", StringComparison.Ordinal);
            // A leading '-' is a sign, not a range: "-3" is refused as a negative frame rather than read as "to 3".
            int dash = dots >= 0 || piece.Length == 0 ? -1 : piece.IndexOf('-', 1);
            int split = dots >= 0 ? dots : dash;
            int gap = dots >= 0 ? 2 : 1;
            long first, last;
            bool ok;
            if (split < 0)
            {
                ok = TryFrame(piece, out first);
                last = first;
            }
            else
            {
                ok = TryFrame(piece[..split], out first) & TryFrame(piece[(split + gap)..], out last) && first <= last;
            }
            if (!ok) throw Refuse(text, piece);
            ranges.Add((first, last));
        }
        return new FrameList(ranges, text);
    }

    /// <summary>The pieces a cmdlet's <c>-Frames</c> received ("0-99", "200" or numbers PowerShell made text), read as one list.</summary>
    public static FrameList Parse(IEnumerable<string> pieces) => Parse(string.Join(",", pieces));

    /// <summary>These frames, in this order.</summary>
    /// <exception cref="SleapException">InvalidArgument for a negative frame, with <see cref="Parse(string)"/>'s message.</exception>
    public static FrameList Of(IEnumerable<long> frames)
    {
        var list = frames.ToList();
        string text = string.Join(",", list.Select(f => f.ToString(CultureInfo.InvariantCulture)));
        foreach (long frame in list)
            if (frame < 0) throw Refuse(text, frame.ToString(CultureInfo.InvariantCulture));
        return new FrameList(list.Select(f => (f, f)).ToList(), text);
    }

    /// <summary>From <paramref name="first"/> to <paramref name="last"/>, inclusive.</summary>
    public static FrameList Range(long first, long last) => new([(first, last)], Format(first, last));

    /// <summary>
    /// The frame numbers to render, each once, after checking that all lie in 0 to <paramref name="frameCount"/> - 1;
    /// the error names the first that does not.
    /// </summary>
    public IReadOnlyList<long> Resolve(long frameCount, string videoName)
    {
        foreach (var (first, last) in _ranges)
            foreach (long frame in new[] { first, last })
                if (frame < 0 || frame >= frameCount)
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"Frame {frame} is out of range for the video '{videoName}', which has {frameCount} frames (0 to {frameCount - 1}).",
                        videoName);
        var frames = Expand();
        if (frames.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument, $"No frames were selected to render from '{videoName}'.", videoName);
        return frames;
    }

    /// <summary>Whether the list names <paramref name="frame"/>, without expanding its ranges (a split tests every frame of a long file).</summary>
    public bool Contains(long frame)
    {
        foreach (var (first, last) in _ranges)
            if (frame >= first && frame <= last) return true;
        return false;
    }

    /// <summary>
    /// The frame numbers, each once, in order, without a video to check them against (prediction checks each frame
    /// as it reads it).
    /// </summary>
    public IReadOnlyList<long> Expand()
    {
        var seen = new HashSet<long>();
        var frames = new List<long>();
        foreach (var (first, last) in _ranges)
            for (long frame = first; frame <= last; frame++)
                if (seen.Add(frame))
                    frames.Add(frame);
        return frames;
    }

    /// <summary>The shortest text that <see cref="Parse(string)"/> reads back as <paramref name="frames"/> (ascending runs become "first-last").</summary>
    public static string Format(IReadOnlyList<long> frames)
    {
        var text = new StringBuilder();
        for (int i = 0; i < frames.Count;)
        {
            int end = i;
            while (end + 1 < frames.Count && frames[end + 1] == frames[end] + 1) end++;
            if (text.Length > 0) text.Append(',');
            text.Append(end > i ? Format(frames[i], frames[end]) : frames[i].ToString(CultureInfo.InvariantCulture));
            i = end + 1;
        }
        return text.ToString();
    }

    /// <summary>The text this list was parsed from (or made as).</summary>
    public override string ToString() => _text;

    /// <summary>The one message for a frame list that cannot be read, whatever is wrong with the piece.</summary>
    private static SleapException Refuse(string text, string piece) =>
        new(SleapErrorKind.InvalidArgument,
            $"The frame list '{text}' cannot be read at '{piece}'. Write frame numbers (from 0) and inclusive ranges separated by commas, for example '0-99,200,300-310' or '0..99'.");

    private static string Format(long first, long last) =>
        first.ToString(CultureInfo.InvariantCulture) + "-" + last.ToString(CultureInfo.InvariantCulture);

    private static bool TryFrame(string text, out long frame) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out frame);
}
