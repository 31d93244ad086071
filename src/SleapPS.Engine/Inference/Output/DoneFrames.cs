using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Inference.Output;

/// <summary>
/// The frames earlier runs finished, per video filename, kept as sorted, merged ranges so that a resume over
/// 100,000 frames holds a handful of ranges, not a set of frames.
/// </summary>
internal sealed class DoneFrames
{
    private readonly Dictionary<string, List<(long First, long Last)>> _ranges = new(StringComparer.Ordinal);

    public long Count { get; private set; }

    /// <summary>Adds the frames of "0-499,700" for a video.</summary>
    public void Add(string video, string frameRanges)
    {
        if (!_ranges.TryGetValue(video, out var ranges)) _ranges[video] = ranges = [];
        var frames = FrameList.Parse(frameRanges).Expand();
        Count += frames.Count;
        for (int i = 0; i < frames.Count;)
        {
            int end = i;
            while (end + 1 < frames.Count && frames[end + 1] == frames[end] + 1) end++;
            ranges.Add((frames[i], frames[end]));
            i = end + 1;
        }
        ranges.Sort();
        Merge(ranges);
    }

    public bool Contains(string video, long frame)
    {
        if (!_ranges.TryGetValue(video, out var ranges)) return false;
        int low = 0, high = ranges.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            if (frame < ranges[middle].First) high = middle - 1;
            else if (frame > ranges[middle].Last) low = middle + 1;
            else return true;
        }
        return false;
    }

    private static void Merge(List<(long First, long Last)> ranges)
    {
        int kept = 0;
        for (int i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].First <= ranges[kept].Last + 1)
                ranges[kept] = (ranges[kept].First, Math.Max(ranges[kept].Last, ranges[i].Last));
            else
                ranges[++kept] = ranges[i];
        }
        if (ranges.Count > 0) ranges.RemoveRange(kept + 1, ranges.Count - kept - 1);
    }
}
