namespace SleapPS.Engine.Frames;

/// <summary>
/// A frame's pixels as SLEAP sees them: height × width × channels bytes, row-major (HWC), one
/// channel for grayscale videos, RGB for colour ones (what <see cref="FrameSource"/> reads).
/// </summary>
public sealed record FrameImage(byte[] Pixels, int Height, int Width, int Channels)
{
    /// <summary>Checks that the buffer holds the frame it claims to.</summary>
    public void Validate()
    {
        if (Channels is not (1 or 3))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Optical-flow tracking needs frames with 1 (grayscale) or 3 (RGB) channels, but got {Channels}.");
        if ((long)Height * Width * Channels != Pixels.Length)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"A frame of {Height}x{Width}x{Channels} needs {(long)Height * Width * Channels} bytes, but the buffer holds {Pixels.Length}.");
    }
}
