using System.Text.Json.Nodes;

namespace SleapPS.Engine.Data;

/// <summary>How SLEAP reads a video's frames; derived from the filename, as SLEAP does.</summary>
public enum VideoBackend
{
    /// <summary>A movie file (mp4, avi, mov, mkv, mj2) read with OpenCV.</summary>
    Media,
    /// <summary>One or more still images, one frame each (SLEAP's SingleImageVideo), or a folder of them.</summary>
    ImageSequence,
    /// <summary>Frames stored inside an HDF5 file, e.g. images embedded in a .pkg.slp.</summary>
    Hdf5,
    /// <summary>A NumPy array file; recognised but not readable here.</summary>
    Numpy,
    /// <summary>An imgstore folder; recognised but not readable here.</summary>
    ImgStore,
    /// <summary>A placeholder with a size but no frames.</summary>
    Dummy,
}

/// <summary>
/// A video as a labels file describes it. The stored filename is kept verbatim; the path where the
/// file was actually found is <see cref="ResolvedPath"/>, or null when it could not be found.
/// Shape properties are null until known: from the labels file's metadata, from the video file's header when the
/// labels are read (<see cref="Frames.VideoHeaders"/>), or from opening the video.
/// </summary>
public sealed class Video
{
    public Video(string filename, VideoBackend backend)
    {
        Filename = filename;
        Backend = backend;
    }

    /// <summary>The filename as written in the labels file (may be relative, or from another machine).</summary>
    public string Filename { get; set; }

    public VideoBackend Backend { get; set; }

    /// <summary>Where the video was found on this machine; null when it is missing.</summary>
    public string? ResolvedPath { get; set; }

    public bool IsAvailable => ResolvedPath is not null;

    /// <summary>The image files of an image-sequence video, as stored.</summary>
    public List<string> ImageFilenames { get; } = new();

    /// <summary>
    /// Where each of <see cref="ImageFilenames"/> was found on this machine, in the same order; empty unless
    /// every image was found.
    /// </summary>
    public List<string> ResolvedImageFilenames { get; } = new();

    /// <summary>For HDF5 videos: the dataset that holds the frames (e.g. "video0/video").</summary>
    public string? Dataset { get; set; }

    /// <summary>For embedded frames: the original frame number of each stored row.</summary>
    public long[]? EmbeddedFrameNumbers { get; set; }

    /// <summary>For embedded frames: the video the frames were taken from, when the file says.</summary>
    public Video? SourceVideo { get; set; }

    /// <summary>True when SLEAP keeps only channel 0 of each decoded frame.</summary>
    public bool? Grayscale { get; set; }

    public long? FrameCount { get; set; }
    public int? Height { get; set; }
    public int? Width { get; set; }
    public int? Channels { get; set; }
    public double? Fps { get; set; }

    /// <summary>
    /// The backend dictionary exactly as read from the labels file, so that writing it back keeps
    /// fields this library does not interpret. Null for videos created here. Internal: it is the file's
    /// bookkeeping, not a property of the video, so it stays out of what users see and serialize (ConvertTo-Json).
    /// </summary>
    internal JsonObject? BackendMetadata { get; set; }

    public override string ToString() => $"{Path.GetFileName(Filename)} ({Backend}{(IsAvailable ? "" : ", missing")})";
}
