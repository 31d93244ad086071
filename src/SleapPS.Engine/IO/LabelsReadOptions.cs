namespace SleapPS.Engine.IO;

/// <summary>Settings for reading a labels file.</summary>
public sealed class LabelsReadOptions
{
    /// <summary>
    /// Extra folders to look in for videos whose stored path does not exist on this machine
    /// (see <see cref="VideoPathResolver"/>).
    /// </summary>
    public List<string> VideoSearchPaths { get; } = new();

    /// <summary>
    /// Whether each video that is found has its shape (frame count, size, channels, fps) read from its file's header
    /// (<see cref="Frames.VideoHeaders"/>), so that the videos show their real size before they are opened. On by
    /// default; reads of files this module wrote for itself (parts of a run) turn it off, as nothing looks at the sizes.
    /// </summary>
    public bool ReadVideoHeaders { get; set; } = true;
}
