namespace SleapPS.Engine.Frames;

/// <summary>
/// Reads the frames of one video as SLEAP sees them: uint8, height x width x channels (HWC), with
/// one channel for grayscale videos (channel 0 of OpenCV's BGR decode) and RGB order otherwise.
/// A source is not thread-safe: it keeps decoder state so that sequential reads stay cheap.
/// </summary>
public abstract class FrameSource : IDisposable
{
    private bool _disposed;

    protected FrameSource(string path)
    {
        Path = path;
    }

    /// <summary>The file (or, for an image sequence, the first image) the frames come from.</summary>
    public string Path { get; }

    /// <summary>How many frames can be read (for embedded frames: how many are stored).</summary>
    public long FrameCount { get; protected set; }

    public int Height { get; protected set; }

    public int Width { get; protected set; }

    /// <summary>Channels of each frame as returned: 1 when <see cref="IsGrayscale"/>, else 3.</summary>
    public int Channels { get; protected set; }

    /// <summary>Frames per second when the container says, else null.</summary>
    public double? Fps { get; protected set; }

    /// <summary>True when frames are returned with a single channel.</summary>
    public bool IsGrayscale { get; protected set; }

    /// <summary>Bytes of one frame: Height * Width * Channels.</summary>
    public int FrameByteCount => checked(Height * Width * Channels);

    /// <summary>
    /// Decodes one frame into <paramref name="destination"/> (at least <see cref="FrameByteCount"/>
    /// bytes), row by row, channels interleaved.
    /// </summary>
    public void ReadFrame(long frameIndex, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < FrameByteCount)
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes but a frame of '{Path}' needs {FrameByteCount} ({Height} x {Width} x {Channels}).",
                nameof(destination));
        CheckFrameIndex(frameIndex);
        ReadFrameCore(frameIndex, destination[..FrameByteCount]);
    }

    /// <summary>Decodes one frame into a new array of <see cref="FrameByteCount"/> bytes.</summary>
    public byte[] ReadFrame(long frameIndex)
    {
        var frame = new byte[FrameByteCount];
        ReadFrame(frameIndex, frame);
        return frame;
    }

    /// <summary>Throws when <paramref name="frameIndex"/> cannot be read from this source.</summary>
    protected virtual void CheckFrameIndex(long frameIndex)
    {
        if (frameIndex < 0 || frameIndex >= FrameCount)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Frame index {frameIndex} is out of range for the video '{Path}', which has {FrameCount} frames (0 to {FrameCount - 1}).",
                Path);
    }

    /// <summary>Fills <paramref name="destination"/> (exactly one frame long) with a frame whose index was checked.</summary>
    protected abstract void ReadFrameCore(long frameIndex, Span<byte> destination);

    /// <summary>Releases decoders and file handles.</summary>
    protected abstract void ReleaseResources();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseResources();
        GC.SuppressFinalize(this);
    }
}
