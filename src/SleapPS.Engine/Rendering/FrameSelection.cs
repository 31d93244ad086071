using System.Globalization;

namespace SleapPS.Engine.Rendering;

/// <summary>
/// The frames to render, as users write them: "0-99,200-210" (single frames and inclusive ranges,
/// "0..99" also works) or a list of frame numbers. Frames keep the order given; a frame named twice
/// is rendered once. Ranges stay unexpanded until the video's length is known, so a typo such as
/// "0-99999999999" is an error, not an attempt to list a hundred billion frames.
/// </summary>
public sealed class FrameSelection
{
    private readonly List<(long First, long Last)> _ranges;
    private readonly string _text;

    private FrameSelection(List<(long First, long Last)> ranges, string text)
    {
        _ranges = ranges;
        _text = text;
    }

    /// <summary>Parses a comma-separated list of frames ("7") and inclusive ranges ("0-99" or "0..99").</summary>
    public static FrameSelection Parse(string text)
    {
        var ranges = new List<(long, long)>();
        foreach (string rawItem in text.Split(','))
        {
            string item = rawItem.Trim();
            string[] bounds = item.Contains("..") ? item.Split("..") : item.Split('-');
            if (bounds.Length > 2 || !TryFrame(bounds[0], out long first) || !TryFrame(bounds[^1], out long last) || last < first)
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"The frame selection '{text}' cannot be read at '{item}'. Write frame numbers and inclusive ranges separated by commas, for example \"0-99,200-210\" or \"5\".");
            ranges.Add((first, last));
        }
        return new FrameSelection(ranges, text);
    }

    /// <summary>These frames, in this order.</summary>
    public static FrameSelection Of(IEnumerable<long> frames)
    {
        var list = frames.ToList();
        return new FrameSelection(list.Select(f => (f, f)).ToList(), string.Join(",", list));
    }

    /// <summary>From <paramref name="first"/> to <paramref name="last"/>, inclusive.</summary>
    public static FrameSelection Range(long first, long last) => new([(first, last)], $"{first}-{last}");

    /// <summary>
    /// The frame numbers, each once, after checking that all lie in 0 to <paramref name="frameCount"/> - 1;
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
        var seen = new HashSet<long>();
        var frames = new List<long>();
        foreach (var (first, last) in _ranges)
            for (long frame = first; frame <= last; frame++)
                if (seen.Add(frame))
                    frames.Add(frame);
        if (frames.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument, $"No frames were selected to render from '{videoName}'.", videoName);
        return frames;
    }

    public override string ToString() => _text;

    private static bool TryFrame(string text, out long frame) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out frame);
}
