using System.Globalization;
using OpenCvSharp;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO;
using FrameSource = SleapPS.Engine.Frames.FrameSource;
using Size = OpenCvSharp.Size;

namespace SleapPS.Engine.Rendering;

/// <summary>
/// Draws labels onto the frames of their video and writes the result as a video (.mp4, .avi) or as
/// PNG images. <see cref="Prepare"/> checks everything that can be checked before a frame is
/// decoded (the options, the output path, the codec, the frames) and opens the video;
/// <see cref="Run"/> then streams: it reads, draws and writes one frame at a time, reusing its
/// buffers, into temporary files that are moved into place only when every frame is written.
/// </summary>
public sealed class RenderJob : IDisposable
{
    /// <summary>The rate written when neither the caller nor the video gives one (image sequences have none).</summary>
    public const double FallbackFps = 30;

    public const string PngExtension = ".png";

    private readonly Labels _labels;
    private readonly RenderOptions _options;
    private readonly FrameSource _source;

    private RenderJob(Labels labels, Video video, FrameSource source, RenderOptions options, IReadOnlyList<long> frames, string outputPath)
    {
        _labels = labels;
        _options = options;
        _source = source;
        Video = video;
        Frames = frames;
        IsVideo = VideoCodecs.IsVideoExtension(Path.GetExtension(outputPath));
        Codec = IsVideo ? VideoCodecs.Choose(outputPath, options.Codec) : null;
        Fps = IsVideo ? options.Fps ?? source.Fps ?? FallbackFps : null;
        (Width, Height) = OutputSize(source, options.Scale, IsVideo);
        OutputPaths = IsVideo ? [outputPath] : PngPaths(outputPath, frames, source);
    }

    /// <summary>
    /// Checks the request and opens the video. Frames default to the span from the first to the last
    /// labelled frame of <paramref name="video"/> (for frames embedded in a labels file: every embedded frame).
    /// </summary>
    /// <param name="outputPath">A .mp4 or .avi video, or a .png: one image when one frame is asked for,
    /// else one per frame, named &lt;name&gt;.&lt;frame&gt;.png with the frame zero-padded to the video's length.</param>
    public static RenderJob Prepare(Labels labels, Video video, string outputPath, FrameList? frames = null, RenderOptions? options = null)
    {
        options ??= new RenderOptions();
        options.Validate();
        outputPath = Path.GetFullPath(outputPath);
        CheckOutput(outputPath, options);
        if (!labels.Videos.Contains(video))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The video '{video.Filename}' is not one of the videos of these labels. Pass one of their Videos, or its index (0 to {labels.Videos.Count - 1}).",
                video.Filename);
        if (!video.IsAvailable)
            throw new SleapException(SleapErrorKind.NotFound,
                $"The video '{video.Filename}' of these labels was not found, so there are no frames to draw on. Import the labels again with Import-SleapLabels -VideoSearchPath <the folder that holds the video>.",
                video.Filename);
        if (string.Equals(Path.GetFullPath(video.ResolvedPath!), outputPath, StringComparison.Ordinal))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"'{outputPath}' is the video being drawn on; it cannot also be the output. Choose another output path.", outputPath);

        var source = FrameSources.Open(video);
        try
        {
            var frameList = ResolveFrames(labels, video, source, frames);
            return new RenderJob(labels, video, source, options, frameList, outputPath);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    public Video Video { get; }

    /// <summary>The frames to render, in order.</summary>
    public IReadOnlyList<long> Frames { get; }

    /// <summary>The files <see cref="Run"/> writes (full paths): one video, or one PNG per frame.</summary>
    public IReadOnlyList<string> OutputPaths { get; }

    /// <summary>True for .mp4 / .avi output, false for PNG images.</summary>
    public bool IsVideo { get; }

    /// <summary>The video codec, null for PNG.</summary>
    public string? Codec { get; }

    /// <summary>Frames per second of the video written, null for PNG.</summary>
    public double? Fps { get; }

    /// <summary>Size of the frames written.</summary>
    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// Renders every frame. Frames without labels are written unchanged. <paramref name="progress"/> is
    /// called on this thread after each frame; <paramref name="cancellationToken"/> is checked before each.
    /// On cancellation or error no output file is left (existing files are untouched).
    /// </summary>
    /// <param name="overwrite">Whether existing files may be replaced.</param>
    public void Run(bool overwrite = false, Action<RenderProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (IsVideo)
            AtomicFile.Write(OutputPaths[0], temp => WriteVideo(temp, progress, cancellationToken), overwrite, keepExtension: true);
        else
            AtomicFile.WriteAll(OutputPaths, temps => RenderFrames((image, i) => WritePng(image, temps[i], OutputPaths[i]), progress, cancellationToken),
                overwrite, keepExtension: true);
    }

    private void WriteVideo(string tempPath, Action<RenderProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var writer = new VideoWriter(tempPath, VideoCaptureAPIs.FFMPEG, FourCC.FromString(Codec!), Fps!.Value, new Size(Width, Height), isColor: true);
        if (!writer.IsOpened())
            throw VideoCodecs.Unavailable(Codec!, OutputPaths[0]);
        RenderFrames((image, _) => writer.Write(image), progress, cancellationToken);
        writer.Release();
        if (new FileInfo(tempPath) is not { Exists: true, Length: > 0 })
            throw new SleapException(SleapErrorKind.WriteError,
                $"OpenCV wrote nothing to '{OutputPaths[0]}' with the codec '{Codec}'. Try another codec: {string.Join(", ", VideoCodecs.For(Path.GetExtension(OutputPaths[0])))}.",
                OutputPaths[0]);
    }

    private static void WritePng(Mat image, string tempPath, string path)
    {
        if (!Cv2.ImWrite(tempPath, image))
            throw new SleapException(SleapErrorKind.WriteError, $"OpenCV could not write the image '{path}'. Check that the folder is writable and the disk has room.", path);
    }

    /// <summary>The streaming loop: one decode, one colour conversion, an optional resize and the drawing per frame, into reused images.</summary>
    private unsafe void RenderFrames(Action<Mat, int> write, Action<RenderProgress>? progress, CancellationToken cancellationToken)
    {
        var painter = new InstancePainter(_labels, _options);
        var labelled = _labels.LabeledFrames.Where(f => ReferenceEquals(f.Video, Video)).ToLookup(f => f.FrameIndex);
        bool resize = Width != _source.Width || Height != _source.Height;
        var toBgr = _source.IsGrayscale ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.RGB2BGR;
        var interpolation = _options.Scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear;

        using var decoded = new Mat(_source.Height, _source.Width, _source.IsGrayscale ? MatType.CV_8UC1 : MatType.CV_8UC3);
        using var bgr = new Mat(_source.Height, _source.Width, MatType.CV_8UC3);
        using var scaled = resize ? new Mat(ScaledSize(_source.Height, _options.Scale), ScaledSize(_source.Width, _options.Scale), MatType.CV_8UC3) : null;
        var canvas = scaled ?? bgr;
        // Videos need even sizes (4:2:0 chroma): the written image is a view that leaves out an odd last row or column.
        using var output = canvas.SubMat(0, Height, 0, Width);
        var decodedBytes = new Span<byte>((void*)decoded.Data, _source.FrameByteCount);

        for (int i = 0; i < Frames.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long frameIndex = Frames[i];
            _source.ReadFrame(frameIndex, decodedBytes);
            Cv2.CvtColor(decoded, bgr, toBgr);
            if (scaled is not null)
                Cv2.Resize(bgr, scaled, scaled.Size(), 0, 0, interpolation);
            foreach (var frame in labelled[frameIndex])
                painter.Paint(canvas, frame);
            write(output, i);
            progress?.Invoke(new RenderProgress(i + 1, Frames.Count, frameIndex));
        }
    }

    private static void CheckOutput(string outputPath, RenderOptions options)
    {
        string extension = Path.GetExtension(outputPath);
        if (VideoCodecs.IsVideoExtension(extension))
        {
            VideoCodecs.Choose(outputPath, options.Codec);
            return;
        }
        if (!extension.Equals(PngExtension, StringComparison.OrdinalIgnoreCase))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot render to '{outputPath}': its extension '{extension}' is none of {string.Join(", ", VideoCodecs.Extensions)} (video) or {PngExtension} (images).",
                outputPath);
        if (options.Codec is not null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The codec '{options.Codec}' applies to video output, but '{outputPath}' is a PNG image. Leave out the codec, or write to {string.Join(" or ", VideoCodecs.Extensions)}.",
                outputPath);
        if (options.Fps is not null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"A frame rate applies to video output, but '{outputPath}' is a PNG image. Leave out the frame rate, or write to {string.Join(" or ", VideoCodecs.Extensions)}.",
                outputPath);
    }

    private static IReadOnlyList<long> ResolveFrames(Labels labels, Video video, FrameSource source, FrameList? frames)
    {
        if (source is EmbeddedFrameSource embedded)
        {
            if (frames is null) return embedded.FrameNumbers.Order().ToList();
            var selected = frames.Resolve(embedded.FrameNumbers.Max() + 1, video.Filename);
            foreach (long frame in selected)
                if (!embedded.Contains(frame))
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"Frame {frame} is not among the frames embedded in '{source.Path}' for '{video.Filename}'. Choose frames from: {string.Join(", ", embedded.FrameNumbers.Order().Take(10))}{(embedded.FrameNumbers.Count > 10 ? ", ..." : "")}.",
                        video.Filename);
            return selected;
        }
        if (frames is null)
        {
            var indices = labels.LabeledFrames.Where(f => ReferenceEquals(f.Video, video)).Select(f => f.FrameIndex).ToList();
            if (indices.Count == 0)
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"The video '{video.Filename}' has no labelled frames, so there is no default range to render. Give the frames to render.",
                    video.Filename);
            frames = FrameList.Range(indices.Min(), indices.Max());
        }
        return frames.Resolve(source.FrameCount, video.Filename);
    }

    private static (int Width, int Height) OutputSize(FrameSource source, double scale, bool isVideo)
    {
        int width = ScaledSize(source.Width, scale), height = ScaledSize(source.Height, scale);
        if (isVideo)
            (width, height) = (width & ~1, height & ~1);
        if (width < 2 || height < 2)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The scale {scale} shrinks the {source.Width} x {source.Height} frames of '{source.Path}' to nothing. Use a larger scale.", source.Path);
        return (width, height);
    }

    private static int ScaledSize(int size, double scale) => Math.Max(1, (int)Math.Round(size * scale));

    private static List<string> PngPaths(string outputPath, IReadOnlyList<long> frames, FrameSource source)
    {
        if (frames.Count == 1) return [outputPath];
        string directory = Path.GetDirectoryName(outputPath)!;
        string stem = Path.GetFileNameWithoutExtension(outputPath);
        string extension = Path.GetExtension(outputPath);
        // Zero-padded to the longest frame number, so the files sort in frame order.
        int digits = Math.Max(frames.Max(), source.FrameCount - 1).ToString(CultureInfo.InvariantCulture).Length;
        return frames.Select(f => Path.Combine(directory, $"{stem}.{f.ToString("D" + digits, CultureInfo.InvariantCulture)}{extension}")).ToList();
    }

    public void Dispose() => _source.Dispose();
}
