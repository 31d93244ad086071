using SleapPS.Engine.Data;
using SleapPS.Engine.IO;

namespace SleapPS.Engine.Editing;

/// <summary>One video's filename before and after a replacement, and whether the new one was found on this machine.</summary>
public sealed record VideoPathChange(Video Video, string OldFilename, string NewFilename, bool Found);

/// <summary>
/// Replaces the stored video paths of labels, as sleap-io's <c>replace_filenames</c> and <c>sio filenames</c> do
/// (docs/design/labels-operations.md §6): by a map of old path (whole, or a folder prefix) to new path, and/or by looking
/// for each video in search folders. Image-sequence videos have each image's path replaced.
/// </summary>
public static class VideoPathReplacement
{
    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>
    /// Applies <paramref name="map"/> (an exact filename, or a folder that starts filenames, to its replacement; the
    /// longest matching key wins), then, for videos still not found, looks in <paramref name="searchPaths"/> and stores
    /// where each was found. Resolves every video afterwards.
    /// </summary>
    /// <returns>The labels (a copy unless <paramref name="inPlace"/>) and one change per video whose filename changed or was looked for.</returns>
    public static (Labels Labels, List<VideoPathChange> Changes) Replace(Labels labels, IReadOnlyDictionary<string, string>? map,
        IReadOnlyList<string>? searchPaths, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(labels);
        map ??= new Dictionary<string, string>();
        searchPaths ??= [];
        foreach (var (from, to) in map)
            if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"The video path map has an empty path ('{from}' to '{to}'). Map each old path to a new one.");
        var target = inPlace ? labels : LabelsCopy.Of(labels);
        var before = target.Videos.ToDictionary(v => v, v => v.Filename);
        foreach (var video in target.Videos)
        {
            video.Filename = Mapped(video.Filename, map);
            for (int i = 0; i < video.ImageFilenames.Count; i++) video.ImageFilenames[i] = Mapped(video.ImageFilenames[i], map);
        }
        var options = new LabelsReadOptions();
        options.VideoSearchPaths.AddRange(searchPaths);
        VideoPathResolver.ResolveAll(target, options);
        var changes = new List<VideoPathChange>();
        foreach (var video in target.Videos)
        {
            // A video found through the search folders stores where it was found, as sio filenames does.
            if (searchPaths.Count > 0 && video.ResolvedPath is { } found && video.Backend is not (VideoBackend.ImageSequence or VideoBackend.Dummy))
                video.Filename = found;
            if (video.Filename != before[video] || searchPaths.Count > 0)
                changes.Add(new VideoPathChange(video, before[video], video.Filename, video.IsAvailable));
        }
        return (target, changes);
    }

    /// <summary>The path with the longest key of the map that is it, or a folder it lies under, replaced.</summary>
    internal static string Mapped(string path, IReadOnlyDictionary<string, string> map)
    {
        string? bestKey = null;
        foreach (var key in map.Keys)
            if ((path == key || IsUnder(path, key)) && (bestKey is null || key.Length > bestKey.Length)) bestKey = key;
        if (bestKey is null) return path;
        string to = map[bestKey];
        if (path.Length == bestKey.Length) return to;
        string rest = path[bestKey.Length..].TrimStart(Separators);
        return to.TrimEnd(Separators) + (to.Contains('\\') && !to.Contains('/') ? "\\" : "/") + rest;
    }

    /// <summary>Whether <paramref name="path"/> lies under the folder <paramref name="folder"/> (either separator; the folder may end in one).</summary>
    private static bool IsUnder(string path, string folder)
    {
        string trimmed = folder.TrimEnd(Separators);
        return path.Length > trimmed.Length && path.StartsWith(trimmed, StringComparison.Ordinal) && Separators.Contains(path[trimmed.Length]);
    }
}
