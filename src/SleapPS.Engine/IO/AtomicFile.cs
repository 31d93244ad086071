namespace SleapPS.Engine.IO;

/// <summary>
/// Writes a file so that it is either complete or absent: the content goes to a temporary file in the
/// target's folder, which is moved over the target only when writing succeeded.
/// </summary>
public static class AtomicFile
{
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the whole content to the temporary path it is given.</param>
    /// <param name="overwrite">Whether an existing file at <paramref name="path"/> may be replaced.</param>
    /// <param name="keepExtension">
    /// Give the temporary file the target's extension, for writers that choose the format from it
    /// (OpenCV's VideoWriter picks the container, ImWrite the image format).
    /// </param>
    public static void Write(string path, Action<string> write, bool overwrite = true, bool keepExtension = false) =>
        WriteAll([path], tempPaths => write(tempPaths[0]), overwrite, keepExtension);

    /// <summary>
    /// Writes several files that belong together (e.g. one image per frame): each goes to its own
    /// temporary file, and they are moved into place only when <paramref name="write"/> finished
    /// them all. On failure or cancellation every temporary file is removed and no target is touched.
    /// </summary>
    /// <param name="paths">The files to create or replace.</param>
    /// <param name="write">Writes every file, getting the temporary paths in the order of <paramref name="paths"/>.</param>
    public static void WriteAll(IReadOnlyList<string> paths, Action<IReadOnlyList<string>> write, bool overwrite = true, bool keepExtension = false)
    {
        var fullPaths = paths.Select(Path.GetFullPath).ToArray();
        foreach (string fullPath in fullPaths)
            CheckTarget(fullPath, overwrite);

        var tempPaths = fullPaths.Select(p => TempPathFor(p, keepExtension)).ToArray();
        string current = fullPaths.Length > 0 ? fullPaths[0] : "";
        try
        {
            write(tempPaths);
            for (int i = 0; i < fullPaths.Length; i++)
            {
                current = fullPaths[i];
                File.Move(tempPaths[i], fullPaths[i], overwrite: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.WriteError, $"Cannot write '{current}': {ex.Message}", current, ex);
        }
        finally
        {
            foreach (string tempPath in tempPaths)
                if (File.Exists(tempPath)) File.Delete(tempPath);
        }
    }

    private static void CheckTarget(string fullPath, bool overwrite)
    {
        string directory = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(directory))
            throw new SleapException(SleapErrorKind.NotFound,
                $"Cannot write '{fullPath}': the folder '{directory}' does not exist. Create it first, or choose another output path.", fullPath);
        if (!overwrite && File.Exists(fullPath))
            throw new SleapException(SleapErrorKind.WriteError,
                $"Cannot write '{fullPath}': the file already exists. Use -Force to replace it.", fullPath);
    }

    private static string TempPathFor(string fullPath, bool keepExtension)
    {
        string directory = Path.GetDirectoryName(fullPath)!;
        string name = Path.GetFileName(fullPath);
        return keepExtension
            ? Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(name)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(name)}")
            : Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
    }
}
