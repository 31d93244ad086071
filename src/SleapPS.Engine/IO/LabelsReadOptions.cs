namespace SleapPS.Engine.IO;

/// <summary>Settings for reading a labels file.</summary>
public sealed class LabelsReadOptions
{
    /// <summary>
    /// Extra folders to look in for videos whose stored path does not exist on this machine
    /// (see <see cref="VideoPathResolver"/>).
    /// </summary>
    public List<string> VideoSearchPaths { get; } = new();
}
