using SleapPS.Engine.Data;

namespace SleapPS.Engine.Editing.Merging;

/// <summary>
/// Finds the base video an incoming video is (docs/design/labels-operations.md §2.2). Auto prefers a missed match to a
/// wrong one, as sleap-io's does: sizes that are known and differ rule a pair out, then the same object, the same path,
/// and last a trailing part of the path (file name, then with parent folders) that exactly one base video shares (and
/// that video's size fits).
/// </summary>
internal static class VideoMatching
{
    private static readonly char[] Separators = ['/', '\\'];

    public static Video? Find(Video incoming, IReadOnlyList<Video> candidates, VideoMatch method)
    {
        foreach (var candidate in candidates)
            if (ReferenceEquals(candidate, incoming)) return candidate;
        switch (method)
        {
            case VideoMatch.Path:
                return candidates.FirstOrDefault(c => SamePath(c, incoming));
            case VideoMatch.Basename:
                return candidates.FirstOrDefault(c => string.Equals(Leaf(c, 1), Leaf(incoming, 1), StringComparison.Ordinal));
        }
        var viable = candidates.Where(c => SizesAgree(c, incoming)).ToList();
        if (viable.FirstOrDefault(c => SamePath(c, incoming)) is { } same) return same;
        int depth = Parts(incoming).Length;
        for (int d = 1; d <= depth; d++)
        {
            string leaf = Leaf(incoming, d);
            // Unique among all base videos, not only those of a fitting size: a name that a video of another size also
            // has is ambiguous, and a wrong match is worse than a missed one.
            var matches = candidates.Where(c => Parts(c).Length >= d && Leaf(c, d) == leaf).Take(2).ToList();
            if (matches.Count == 1) return viable.Contains(matches[0]) ? matches[0] : null;
            if (matches.Count == 0) return null;
        }
        return null;
    }

    /// <summary>Frame count, height and width, where both videos know them, are equal (channels are not compared: grey detection varies).</summary>
    private static bool SizesAgree(Video a, Video b) =>
        Agree(a.FrameCount, b.FrameCount) && Agree(a.Height, b.Height) && Agree(a.Width, b.Width);

    private static bool Agree<T>(T? a, T? b) where T : struct => a is null || b is null || a.Value.Equals(b.Value);

    private static bool SamePath(Video a, Video b)
    {
        if (a.Backend == VideoBackend.ImageSequence || b.Backend == VideoBackend.ImageSequence)
            return a.ImageFilenames.SequenceEqual(b.ImageFilenames, StringComparer.Ordinal) && (a.Dataset ?? "") == (b.Dataset ?? "");
        bool samePath = string.Equals(Normalized(a.Filename), Normalized(b.Filename), StringComparison.Ordinal)
                        || (a.ResolvedPath is not null && b.ResolvedPath is not null
                            && string.Equals(Path.GetFullPath(a.ResolvedPath), Path.GetFullPath(b.ResolvedPath), StringComparison.Ordinal));
        // Two datasets of one HDF5 file are two videos.
        return samePath && (a.Dataset is null || b.Dataset is null || a.Dataset == b.Dataset);
    }

    private static string Normalized(string path) => path.Replace('\\', '/');

    private static string[] Parts(Video video)
    {
        string path = video.Backend == VideoBackend.ImageSequence && video.ImageFilenames.Count > 0 ? video.ImageFilenames[0] : video.Filename;
        return path.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Leaf(Video video, int depth)
    {
        var parts = Parts(video);
        return string.Join('/', parts.Skip(Math.Max(0, parts.Length - depth)));
    }
}
