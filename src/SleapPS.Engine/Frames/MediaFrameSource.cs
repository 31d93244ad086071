using OpenCvSharp;

namespace SleapPS.Engine.Frames;

/// <summary>
/// Frames of a movie file (mp4, avi, mov, mkv...) decoded by OpenCV's FFmpeg backend, as SLEAP's
/// MediaVideo does. The decoder only seeks when the requested frame is not the next one, so reading
/// frames in order costs one decode each; the decoded image buffer is reused between frames.
/// </summary>
public sealed class MediaFrameSource : FrameSource
{
    /// <summary>OpenCV's CAP_PROP_N_THREADS, an open parameter OpenCvSharp has no name for.</summary>
    private const int CapPropNThreads = 70;

    private readonly VideoCapture _capture;
    private readonly Mat _decoded = new();
    private long _decodedIndex = -1;   // the frame _decoded holds, or -1
    private long _nextIndex;           // the frame the decoder returns next, or -1 when unknown

    /// <param name="path">The movie file.</param>
    /// <param name="grayscale">SLEAP's grayscale flag from a labels file; null to detect it from frame 0.</param>
    /// <param name="decoderThreads">
    /// Threads FFmpeg decodes with (OpenCV's CAP_PROP_N_THREADS); null for FFmpeg's choice, one per core. The frames are
    /// the same whatever the count: H.264 decoding is exact, threaded or not.
    /// </param>
    public MediaFrameSource(string path, bool? grayscale = null, int? decoderThreads = null) : base(path)
    {
        if (!File.Exists(path))
            throw new SleapException(SleapErrorKind.NotFound, $"Cannot find the video file '{path}'.", path);
        // Always FFmpeg: another backend (GStreamer, V4L) converts YUV to RGB differently, and SLEAP's
        // models are sensitive to single grey levels.
        if (decoderThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(decoderThreads), decoderThreads, "Decode with at least one thread.");
        _capture = decoderThreads is int threads
            ? new VideoCapture(path, VideoCaptureAPIs.FFMPEG, [CapPropNThreads, threads])
            : new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        try
        {
            if (!_capture.IsOpened())
                throw Unreadable("OpenCV (FFmpeg) cannot open it");
            FrameCount = (long)_capture.Get(VideoCaptureProperties.FrameCount);
            if (FrameCount <= 0)
                throw Unreadable("it reports no frames");
            double fps = _capture.Get(VideoCaptureProperties.Fps);
            Fps = double.IsFinite(fps) && fps > 0 ? fps : null;
            if (!_capture.Read(_decoded) || _decoded.Empty())
                throw Unreadable("its first frame cannot be decoded");
            _decodedIndex = 0;
            _nextIndex = 1;
            if (_decoded.Type() != MatType.CV_8UC3)
                throw Unreadable($"OpenCV decodes it as {_decoded.Type()} instead of 8-bit BGR");
            Height = _decoded.Rows;
            Width = _decoded.Cols;
            IsGrayscale = grayscale ?? PixelCopy.Channel0EqualsChannel2(_decoded);
            Channels = IsGrayscale ? 1 : 3;
        }
        catch (Exception ex) when (ex is not SleapException)
        {
            ReleaseResources();
            throw Unreadable(ex.Message, ex);
        }
        catch
        {
            ReleaseResources();
            throw;
        }
    }

    protected override void ReadFrameCore(long frameIndex, Span<byte> destination)
    {
        if (frameIndex != _decodedIndex)
            Decode(frameIndex);
        PixelCopy.CopyBgrAsSleap(_decoded, IsGrayscale, destination);
    }

    private void Decode(long frameIndex)
    {
        if (frameIndex != _nextIndex)
            _capture.Set(VideoCaptureProperties.PosFrames, frameIndex);
        if (!_capture.Read(_decoded) || _decoded.Empty())
        {
            _decodedIndex = -1;
            _nextIndex = -1;
            throw new SleapException(SleapErrorKind.ReadError,
                $"Frame {frameIndex} of the video '{Path}' cannot be decoded, although the file says it has {FrameCount} frames. The file may be truncated or damaged; re-encode it (for example with ffmpeg) and try again.",
                Path);
        }
        _decodedIndex = frameIndex;
        _nextIndex = frameIndex + 1;
    }

    private SleapException Unreadable(string reason, Exception? inner = null) =>
        new(SleapErrorKind.InvalidData,
            $"The file '{Path}' cannot be read as a video: {reason}. It may be damaged or not a video; check that it plays in a media player.",
            Path, inner);

    protected override void ReleaseResources()
    {
        _decoded.Dispose();
        _capture.Dispose();
    }
}
