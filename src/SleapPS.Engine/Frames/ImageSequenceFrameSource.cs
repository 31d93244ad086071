using OpenCvSharp;

namespace SleapPS.Engine.Frames;

/// <summary>
/// One frame per image file (SLEAP's SingleImageVideo), decoded by OpenCV as BGR and then put in
/// SLEAP's layout like a movie frame. All images must have the size of the first one.
/// </summary>
public sealed class ImageSequenceFrameSource : FrameSource
{
    /// <summary>The file extensions taken as images when a folder is listed.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"];

    private readonly string[] _files;
    private Mat _decoded;
    private long _decodedIndex;

    /// <param name="files">The images in frame order.</param>
    /// <param name="grayscale">SLEAP's grayscale flag from a labels file; null to detect it from the first image.</param>
    public ImageSequenceFrameSource(IReadOnlyList<string> files, bool? grayscale = null)
        : base(files.Count > 0 ? files[0] : throw new ArgumentException("An image sequence needs at least one image.", nameof(files)))
    {
        _files = files.ToArray();
        foreach (var file in _files)
            if (!File.Exists(file))
                throw new SleapException(SleapErrorKind.NotFound, $"Cannot find the image '{file}' of an image-sequence video.", file);
        FrameCount = _files.Length;
        _decoded = Decode(_files[0]);
        _decodedIndex = 0;
        Height = _decoded.Rows;
        Width = _decoded.Cols;
        IsGrayscale = grayscale ?? PixelCopy.Channel0EqualsChannel2(_decoded);
        Channels = IsGrayscale ? 1 : 3;
    }

    /// <summary>The images of a folder, sorted by file name (ordinal), one frame each.</summary>
    public static ImageSequenceFrameSource FromFolder(string folder, bool? grayscale = null) =>
        new(ListImages(folder), grayscale);

    /// <summary>The image files of a folder sorted by name; an error naming the folder when it holds none.</summary>
    public static string[] ListImages(string folder)
    {
        if (!Directory.Exists(folder))
            throw new SleapException(SleapErrorKind.NotFound, $"Cannot find the folder '{folder}'.", folder);
        var images = Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => System.IO.Path.GetFileName(f), StringComparer.Ordinal)
            .ToArray();
        if (images.Length == 0)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The folder '{folder}' holds no images ({string.Join(", ", ImageExtensions)}), so it cannot be read as a video.", folder);
        return images;
    }

    /// <summary>The image files, in frame order.</summary>
    public IReadOnlyList<string> Files => _files;

    protected override void ReadFrameCore(long frameIndex, Span<byte> destination)
    {
        if (frameIndex != _decodedIndex)
        {
            var image = Decode(_files[frameIndex]);
            int height = image.Rows, width = image.Cols;
            if (height != Height || width != Width)
            {
                image.Dispose();
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"The image '{_files[frameIndex]}' is {width}x{height} pixels but the first image of its sequence, '{_files[0]}', is {Width}x{Height}. All images of a sequence must have the same size; resize or remove the odd one.",
                    _files[frameIndex]);
            }
            _decoded.Dispose();
            _decoded = image;
            _decodedIndex = frameIndex;
        }
        PixelCopy.CopyBgrAsSleap(_decoded, IsGrayscale, destination);
    }

    private static Mat Decode(string file)
    {
        Mat image;
        try
        {
            image = Cv2.ImRead(file, ImreadModes.Color);
        }
        catch (OpenCVException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"The file '{file}' cannot be read as an image: {ex.Message}.", file, ex);
        }
        if (image.Empty())
        {
            image.Dispose();
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The file '{file}' cannot be read as an image: OpenCV cannot decode it. It may be damaged or not an image.", file);
        }
        return image;
    }

    protected override void ReleaseResources() => _decoded.Dispose();
}
