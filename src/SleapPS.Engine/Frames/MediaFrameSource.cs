using OpenCvSharp;

namespace SleapPS.Engine.Frames;

/// <summary>
/// Frames of a movie file (mp4, avi, mov, mkv...) decoded by OpenCV's FFmpeg backend, as SLEAP's
/// MediaVideo does. The decoder only seeks when the requested frame is not the next one, so reading
/// frames in order costs one decode each; the decoded image buffer is reused between frames.
/// </summary>
/// <remarks>
/// Frame n is the n-th frame a front-to-back decode gives, whatever its timestamp. OpenCV's seek turns a frame number
/// into a time at the file's frame rate, which lands on frame n only when the frames are evenly spaced; in a
/// variable-frame-rate file it can land on another frame or past the end (docs/design/reliability.md §5). So OpenCV's
/// seek is used as is only where the container proves the frames even (<see cref="FrameTiming"/>); otherwise the times
/// of the frames decoded so far are kept, a seek is checked against them, and what it cannot reach is decoded forward.
/// </remarks>
public sealed class MediaFrameSource : FrameSource
{
    /// <summary>OpenCV's CAP_PROP_N_THREADS, an open parameter OpenCvSharp has no name for.</summary>
    private const int CapPropNThreads = 70;

    private readonly VideoCapture _capture;
    private readonly Mat _decoded = new();
    private long _decodedIndex = -1;   // the frame _decoded holds, or -1
    private long _nextIndex;           // the frame the decoder returns next, or -1 when unknown

    /// <summary>
    /// For a file whose frames may be unevenly spaced: the time (OpenCV's CAP_PROP_POS_MSEC) of frames 0, 1, 2... as
    /// far as they were decoded in order; null where OpenCV's own seek is exact.
    /// </summary>
    private readonly List<double>? _times;

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
            if (!FrameTiming.IsEvenlySpaced(path))
                _times = [_capture.Get(VideoCaptureProperties.PosMsec)];
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
        {
            if (_times is null)
            {
                _capture.Set(VideoCaptureProperties.PosFrames, frameIndex);
                _decodedIndex = -1;
                _nextIndex = frameIndex;
            }
            else
            {
                SeekByTimes(frameIndex);
            }
        }
        while (_decodedIndex != frameIndex)
            DecodeNext(frameIndex);
    }

    /// <summary>
    /// Decodes the next frame: <paramref name="wanted"/> itself into the image buffer, or a frame on the way to it, which
    /// is only decoded (no colour conversion); learns the frame's time, or checks it against the time learnt before.
    /// </summary>
    private void DecodeNext(long wanted)
    {
        bool keep = _nextIndex == wanted;
        if (keep ? !_capture.Read(_decoded) || _decoded.Empty() : !_capture.Grab())
        {
            _decodedIndex = -1;
            _nextIndex = -1;
            throw Undecodable(wanted, "");
        }
        long index = _nextIndex++;
        _decodedIndex = keep ? index : -1;
        if (_times is null) return;
        double time = _capture.Get(VideoCaptureProperties.PosMsec);
        if (index == _times.Count)
        {
            _times.Add(time);
        }
        else if (index < _times.Count && !SameTime(time, _times[(int)index]))
        {
            // Never hand out one frame under another's number: the decoder is not where it was believed to be.
            _decodedIndex = -1;
            _nextIndex = -1;
            throw Undecodable(wanted, $" The decoder gave a frame at {time:0.###} ms where frame {index} is at {_times[(int)index]:0.###} ms.");
        }
    }

    /// <summary>
    /// Leaves the decoder at or before <paramref name="frameIndex"/> (its frame decoded, or the next to decode known) at a
    /// frame whose time is known, so that decoding forward from there reaches <paramref name="frameIndex"/> by count.
    /// OpenCV's seek is tried and checked by the time of the frame it lands on; when it lands on no known frame or past
    /// the target, it is tried earlier, and in the end the file is decoded from its start, which is always right.
    /// </summary>
    private void SeekByTimes(long frameIndex)
    {
        var times = _times!;
        long target = Math.Min(frameIndex, times.Count - 1);   // frames after the known ones are decoded forward to
        // Already at or before the frame, past the known times or a few frames short of it: decoding forward is cheaper.
        if (_nextIndex >= 0 && _nextIndex <= frameIndex && (_nextIndex > target || frameIndex - _nextIndex < 16)) return;
        long guess = target;
        for (int attempt = 0; attempt < 4 && guess > 0; attempt++)
        {
            _capture.Set(VideoCaptureProperties.PosFrames, guess);
            long landed = _capture.Grab() ? IndexOfTime(_capture.Get(VideoCaptureProperties.PosMsec)) : -1;
            if (landed >= 0 && landed <= target)
            {
                _decodedIndex = -1;
                _nextIndex = landed + 1;
                if (landed == frameIndex)
                {
                    if (!_capture.Retrieve(_decoded) || _decoded.Empty())
                    {
                        _nextIndex = -1;
                        throw Undecodable(frameIndex, "");
                    }
                    _decodedIndex = landed;
                }
                return;
            }
            // Past the target, or at a frame after the known ones (or none): try further back.
            guess -= landed > target ? landed - target + (16L << attempt) : 16L << attempt;
        }
        _capture.Set(VideoCaptureProperties.PosFrames, 0);
        _decodedIndex = -1;
        _nextIndex = 0;
    }

    /// <summary>The frame, among those whose time is known, at <paramref name="time"/>; -1 for none.</summary>
    private long IndexOfTime(double time)
    {
        var times = _times!;
        int low = 0, high = times.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            if (SameTime(times[middle], time)) return middle;
            if (times[middle] < time) low = middle + 1;
            else high = middle - 1;
        }
        return -1;
    }

    /// <summary>Both times are OpenCV's arithmetic on the same timestamp: equal but for rounding.</summary>
    private static bool SameTime(double a, double b) => Math.Abs(a - b) < 1e-3;

    private SleapException Undecodable(long frameIndex, string detail) =>
        new(SleapErrorKind.ReadError,
            $"Frame {frameIndex} of the video '{Path}' cannot be decoded, although the file says it has {FrameCount} frames.{detail} The file may be truncated or damaged; re-encode it (for example with ffmpeg) and try again.",
            Path);

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
