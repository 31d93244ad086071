using SleapPS.Engine.Data;

namespace SleapPS.Engine.Frames;

/// <summary>Opens the right <see cref="FrameSource"/> for a <see cref="Data.Video"/>, and describes video files a user names.</summary>
public static class FrameSources
{
    private static readonly string[] MediaExtensions = [".mp4", ".avi", ".mov", ".mj2", ".mkv"];
    private static readonly string[] Hdf5Extensions = [".h5", ".hdf5", ".slp"];
    private static readonly string[] NumpyExtensions = [".npy", ".npz"];

    /// <summary>
    /// Opens the frames of <paramref name="video"/> from its <see cref="Data.Video.ResolvedPath"/> and
    /// fills its FrameCount, Height, Width, Channels, Fps and Grayscale (and, for embedded frames,
    /// EmbeddedFrameNumbers when unset). The caller disposes the source.
    /// </summary>
    /// <param name="video">The video.</param>
    /// <param name="decoderThreads">Threads FFmpeg decodes a movie file with; null for FFmpeg's choice (one per core).</param>
    public static FrameSource Open(Data.Video video, int? decoderThreads = null)
    {
        string path = video.ResolvedPath ?? throw new SleapException(SleapErrorKind.NotFound,
            $"The video '{video.Filename}' was not found, so its frames cannot be read. Pass the folder that holds it with -VideoSearchPath, or put it next to the labels file.",
            video.Filename);
        FrameSource source = video.Backend switch
        {
            VideoBackend.Media => new MediaFrameSource(path, video.Grayscale, decoderThreads),
            VideoBackend.ImageSequence => new ImageSequenceFrameSource(ImageFilesOf(video, path), video.Grayscale),
            VideoBackend.Hdf5 => new EmbeddedFrameSource(path, video.Dataset ?? "video0/video", video.Grayscale),
            _ => throw new SleapException(SleapErrorKind.NotSupported,
                $"The video '{path}' uses SLEAP's {video.Backend} backend, which SleapPS cannot read. Convert it to an mp4 or a folder of images.",
                path),
        };
        video.FrameCount = source.FrameCount;
        video.Height = source.Height;
        video.Width = source.Width;
        video.Channels = source.Channels;
        video.Fps = source.Fps;
        video.Grayscale = source.IsGrayscale;
        if (source is EmbeddedFrameSource embedded)
            video.EmbeddedFrameNumbers ??= embedded.FrameNumbers.ToArray();
        return source;
    }

    /// <summary>
    /// A <see cref="Data.Video"/> for a file or folder the user names: the backend comes from the
    /// extension (a folder is a sequence of its images, sorted by name), and the file is opened to
    /// fill in its shape.
    /// </summary>
    public static Data.Video DescribeFile(string path)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        Data.Video video;
        if (Directory.Exists(fullPath))
        {
            if (File.Exists(System.IO.Path.Combine(fullPath, "metadata.yaml")))
                throw new SleapException(SleapErrorKind.NotSupported,
                    $"The folder '{fullPath}' is an imgstore, which SleapPS cannot read. Convert it to an mp4 or a folder of images.", fullPath);
            string[] images = ImageSequenceFrameSource.ListImages(fullPath);
            video = new Data.Video(images[0], VideoBackend.ImageSequence) { ResolvedPath = images[0] };
            video.ImageFilenames.AddRange(images);
        }
        else if (File.Exists(fullPath))
        {
            VideoBackend backend = BackendForFilename(fullPath) ?? throw new SleapException(SleapErrorKind.NotSupported,
                $"'{fullPath}' is not a video SleapPS can read: its extension '{System.IO.Path.GetExtension(fullPath)}' is none of {string.Join(", ", MediaExtensions.Concat(ImageSequenceFrameSource.ImageExtensions).Concat(Hdf5Extensions))}.",
                fullPath);
            video = new Data.Video(fullPath, backend) { ResolvedPath = fullPath };
            if (backend == VideoBackend.ImageSequence) video.ImageFilenames.Add(fullPath);
            if (backend == VideoBackend.Hdf5) video.Dataset = "video0/video";
        }
        else
        {
            throw new SleapException(SleapErrorKind.NotFound, $"Cannot find path '{fullPath}' because it does not exist.", fullPath);
        }
        using (Open(video)) { }
        return video;
    }

    /// <summary>The backend SLEAP derives from a filename's extension, or null when it derives none.</summary>
    public static VideoBackend? BackendForFilename(string filename)
    {
        string extension = System.IO.Path.GetExtension(filename).ToLowerInvariant();
        if (MediaExtensions.Contains(extension)) return VideoBackend.Media;
        if (ImageSequenceFrameSource.ImageExtensions.Contains(extension)) return VideoBackend.ImageSequence;
        if (Hdf5Extensions.Contains(extension)) return VideoBackend.Hdf5;
        if (NumpyExtensions.Contains(extension)) return VideoBackend.Numpy;
        if (System.IO.Path.GetFileName(filename) == "metadata.yaml") return VideoBackend.ImgStore;
        return null;
    }

    /// <summary>
    /// The image files of an image-sequence video. Stored names are used where they exist; otherwise,
    /// as SLEAP does, the file of the same name is looked for beside the resolved path (the images
    /// usually moved together).
    /// </summary>
    private static List<string> ImageFilesOf(Data.Video video, string resolvedPath)
    {
        bool isFolder = Directory.Exists(resolvedPath);
        if (video.ImageFilenames.Count == 0)
            return isFolder ? [.. ImageSequenceFrameSource.ListImages(resolvedPath)] : [resolvedPath];
        string folder = isFolder ? resolvedPath : System.IO.Path.GetDirectoryName(resolvedPath) ?? "";
        var files = new List<string>(video.ImageFilenames.Count);
        foreach (string stored in video.ImageFilenames)
        {
            if (System.IO.Path.IsPathFullyQualified(stored) && File.Exists(stored))
            {
                files.Add(stored);
                continue;
            }
            string beside = System.IO.Path.Combine(folder, LastSegment(stored));
            if (!File.Exists(beside))
                throw new SleapException(SleapErrorKind.NotFound,
                    $"The image '{stored}' of the video '{video.Filename}' was not found, neither as written nor in '{folder}'. Put the images together in one folder and pass it with -VideoSearchPath.",
                    stored);
            files.Add(beside);
        }
        return files;
    }

    /// <summary>The file name of a path written on any OS (a Windows path read on Linux keeps its backslashes).</summary>
    private static string LastSegment(string storedPath) =>
        storedPath[(storedPath.LastIndexOfAny(['/', '\\']) + 1)..];
}
