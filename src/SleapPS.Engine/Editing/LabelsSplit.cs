using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Editing;

/// <summary>One part of a split labels file, with the name that says which part it is.</summary>
public sealed record LabelsPart(string Name, Labels Labels);

/// <summary>
/// Splits labels into parts (docs/design/labels-operations.md §3): one per video, one per frame list, or train / validation /
/// test fractions drawn with a seed. Every part is a copy with the source's skeletons and tracks, in the source's order,
/// so that merging the parts gives the source back; frames keep their source order within a part.
/// </summary>
public static class LabelsSplit
{
    /// <summary>The names of the parts of a fraction split, in order.</summary>
    public static readonly IReadOnlyList<string> FractionNames = ["train", "val", "test"];

    /// <summary>One part per video that has labelled frames or suggestions, named by the video's file name, holding only that video.</summary>
    public static List<LabelsPart> ByVideo(Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var byVideo = labels.LabeledFrames.GroupBy(f => f.Video).ToDictionary(g => g.Key, g => g.ToList());
        var parts = new List<LabelsPart>();
        foreach (var video in LabelsSubset.AllVideos(labels).Distinct())
        {
            var frames = byVideo.GetValueOrDefault(video) ?? [];
            parts.Add(new LabelsPart(Path.GetFileName(video.Filename.Replace('\\', '/')), new LabelsCopy().Copy(labels, [video], frames, null)));
        }
        return parts;
    }

    /// <summary>
    /// One part per frame list, holding the frames (of every video) whose index the list names, named by the list as
    /// written. A frame two lists name is in both parts; a frame no list names is in none.
    /// </summary>
    public static List<LabelsPart> ByFrames(Labels labels, IReadOnlyList<FrameList> lists)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(lists);
        if (lists.Count == 0) throw new SleapException(SleapErrorKind.InvalidArgument, "Give at least one frame list to split by.");
        var videos = LabelsSubset.AllVideos(labels).ToList();
        return lists.Select(list => new LabelsPart(list.ToString(),
            new LabelsCopy().Copy(labels, videos, labels.LabeledFrames.Where(f => list.Contains(f.FrameIndex)), null))).ToList();
    }

    /// <summary>
    /// Train, validation and test parts (as many as fractions are given, at most three) of about those fractions of the
    /// labelled frames, drawn at random with <paramref name="seed"/>. The draw depends only on the seed and on each frame's
    /// video position and frame index, through a hash of our own (<see cref="SplitHash"/>), so the same seed gives the same
    /// parts on every machine and .NET version. Part sizes are the rounded cumulative fractions; fractions that add up to
    /// less than 1 leave the rest of the frames out.
    /// </summary>
    /// <exception cref="SleapException">InvalidArgument for a fraction outside 0 to 1, more than three, or a sum above 1.</exception>
    public static List<LabelsPart> ByFractions(Labels labels, IReadOnlyList<double> fractions, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Count is 0 or > 3)
            throw new SleapException(SleapErrorKind.InvalidArgument, $"Give one to three fractions (train, val, test); {fractions.Count} were given.");
        foreach (double f in fractions)
            if (!(f >= 0 && f <= 1))
                throw new SleapException(SleapErrorKind.InvalidArgument, $"The fraction {f} is not between 0 and 1. Give fractions such as 0.8, 0.1, 0.1.");
        double sum = fractions.Sum();
        if (sum > 1 + 1e-9)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The fractions {string.Join(", ", fractions)} add up to {sum}, more than 1. Give fractions that add up to 1 or less.");

        var videos = LabelsSubset.AllVideos(labels).Distinct().ToList();
        var videoIndex = videos.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        int n = labels.LabeledFrames.Count;
        var order = Enumerable.Range(0, n)
            .Select(i => (Key: SplitHash.Of(seed, videoIndex[labels.LabeledFrames[i].Video], labels.LabeledFrames[i].FrameIndex), Position: i))
            .OrderBy(p => p.Key).ThenBy(p => p.Position)
            .Select(p => p.Position).ToArray();
        var parts = new List<LabelsPart>();
        double cumulative = 0;
        int start = 0;
        for (int k = 0; k < fractions.Count; k++)
        {
            cumulative += fractions[k];
            int end = Math.Min(n, (int)Math.Round(n * Math.Min(cumulative, 1.0), MidpointRounding.AwayFromZero));
            var chosen = order[start..end].Order().Select(i => labels.LabeledFrames[i]);
            parts.Add(new LabelsPart(FractionNames[k], new LabelsCopy().Copy(labels, videos, chosen, null)));
            start = end;
        }
        return parts;
    }
}

/// <summary>
/// The split's random draw: SplitMix64 (Steele, Lea and Flood 2014), a fixed sequence of integer operations, so a seed
/// gives the same draw everywhere (System.Random's seeded sequence is not promised to stay the same across .NET versions).
/// </summary>
public static class SplitHash
{
    public static ulong Of(ulong seed, int videoIndex, long frameIndex) =>
        Mix(Mix(Mix(seed) ^ (ulong)videoIndex) ^ (ulong)frameIndex);

    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
