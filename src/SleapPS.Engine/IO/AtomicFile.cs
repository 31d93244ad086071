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
    public static void Write(string path, Action<string> write, bool overwrite = true)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(directory))
            throw new SleapException(SleapErrorKind.NotFound,
                $"Cannot write '{fullPath}': the folder '{directory}' does not exist. Create it first, or choose another output path.", fullPath);
        if (!overwrite && File.Exists(fullPath))
            throw new SleapException(SleapErrorKind.WriteError,
                $"Cannot write '{fullPath}': the file already exists. Use -Force to replace it.", fullPath);

        string tempPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(tempPath);
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.WriteError, $"Cannot write '{fullPath}': {ex.Message}", fullPath, ex);
        }
        finally
        {
            if (File.Exists(tempPath)) File.Delete(tempPath);
        }
    }
}
