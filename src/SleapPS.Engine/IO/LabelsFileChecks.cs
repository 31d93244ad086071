namespace SleapPS.Engine.IO;

/// <summary>The checks every labels reader makes before opening a file.</summary>
internal static class LabelsFileChecks
{
    /// <summary>The full path of an existing file, or a SleapException saying why it cannot be read.</summary>
    public static string RequireFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new SleapException(SleapErrorKind.InvalidArgument, "No labels file path was given. Pass the path of a .slp file.");
        string fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot read '{fullPath}': it is a folder, not a labels file. Pass the path of a .slp file inside it.", fullPath);
        if (!File.Exists(fullPath))
            throw new SleapException(SleapErrorKind.NotFound,
                $"Cannot read '{fullPath}': the file does not exist. Check the path and the current directory.", fullPath);
        return fullPath;
    }
}
