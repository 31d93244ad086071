using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO;

/// <summary>
/// Finds the videos a labels file refers to, as SLEAP and sleap-io do when a project moved between machines:
/// stored paths are often relative, absolute on another machine, or Windows paths read on Linux.
/// </summary>
public static class VideoPathResolver
{
    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>
    /// Looks for a stored video path, in order: the path itself (absolute, or relative to the labels file's
    /// folder, then to the current directory); a file of the same name beside the labels file; the stored
    /// path's trailing parts under the labels file's folder and each of its parents; the trailing parts (down
    /// to the bare file name) under each search path.
    /// </summary>
    /// <returns>The full path of the file or folder found, or null.</returns>
    public static string? Resolve(string storedPath, string? labelsPath, IEnumerable<string> searchPaths)
    {
        if (string.IsNullOrEmpty(storedPath)) return null;
        string? labelsFolder = labelsPath is null ? null : Path.GetDirectoryName(Path.GetFullPath(labelsPath));

        if (Path.IsPathRooted(storedPath))
        {
            if (Exists(storedPath)) return Path.GetFullPath(storedPath);
        }
        else
        {
            if (labelsFolder is not null && Exists(Path.Combine(labelsFolder, storedPath))) return Path.GetFullPath(Path.Combine(labelsFolder, storedPath));
            if (Exists(storedPath)) return Path.GetFullPath(storedPath);
        }

        // Split on both separators: a path written on Windows keeps its backslashes when read elsewhere.
        string[] parts = storedPath.Split(Separators, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p != "." && !(p.Length == 2 && p[1] == ':'))
            .ToArray();
        if (parts.Length == 0) return null;

        if (labelsFolder is not null)
        {
            if (Exists(Path.Combine(labelsFolder, parts[^1]))) return Path.Combine(labelsFolder, parts[^1]);
            for (var folder = new DirectoryInfo(labelsFolder); folder is not null; folder = folder.Parent)
                if (FindTrailingParts(folder.FullName, parts, shortest: 2) is string found) return found;
        }

        foreach (string searchPath in searchPaths)
        {
            if (string.IsNullOrEmpty(searchPath)) continue;
            if (FindTrailingParts(Path.GetFullPath(searchPath), parts, shortest: 1) is string found) return found;
        }
        return null;
    }

    /// <summary>Resolves every video of the labels (and each image of image-sequence videos), setting
    /// <see cref="Video.ResolvedPath"/>; a video that is not found keeps a null path, which is not an error.</summary>
    public static void ResolveAll(Labels labels, LabelsReadOptions? options)
    {
        IReadOnlyList<string> searchPaths = options?.VideoSearchPaths ?? [];
        foreach (Video video in labels.Videos)
        {
            video.ResolvedImageFilenames.Clear();
            switch (video.Backend)
            {
                case VideoBackend.Dummy:
                    video.ResolvedPath = null;
                    break;
                case VideoBackend.ImageSequence when video.ImageFilenames.Count > 0:
                    var images = video.ImageFilenames.Select(f => Resolve(f, labels.SourcePath, searchPaths)).ToList();
                    bool allFound = images.All(p => p is not null);
                    if (allFound) video.ResolvedImageFilenames.AddRange(images!);
                    video.ResolvedPath = allFound ? images[0] : null;
                    break;
                default:
                    video.ResolvedPath = Resolve(video.Filename, labels.SourcePath, searchPaths);
                    break;
            }
        }
    }

    /// <summary>
    /// The path a labels file written at <paramref name="outputPath"/> should store for <paramref name="video"/>: the
    /// stored path where, read from there, it still leads to the video found; else the full path where it was found.
    /// Videos that were not found, image sequences, dummies and embedded frames keep their stored path.
    /// </summary>
    public static string PathToStore(Video video, string outputPath)
    {
        if (video.ResolvedPath is null || video.Backend is VideoBackend.ImageSequence or VideoBackend.Dummy || video.Filename == ".")
            return video.Filename;
        string? fromOutput = Resolve(video.Filename, outputPath, []);
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return fromOutput is not null && string.Equals(Path.GetFullPath(fromOutput), Path.GetFullPath(video.ResolvedPath), comparison)
            ? video.Filename
            : video.ResolvedPath;
    }

    /// <summary>The longest trailing run of <paramref name="parts"/> (at least <paramref name="shortest"/> parts) that exists under a folder.</summary>
    private static string? FindTrailingParts(string folder, string[] parts, int shortest)
    {
        for (int start = 0; start <= parts.Length - shortest; start++)
        {
            string candidate = Path.Combine([folder, .. parts[start..]]);
            if (Exists(candidate)) return candidate;
        }
        return null;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
