using SleapPS.Engine.Data;

namespace SleapPS.Engine.Inference;

/// <summary>
/// One frame to predict on: its pixels exactly as SLEAP sees the frame (docs/design/inference.md §3.1: HWC uint8, RGB order,
/// 1 channel for grayscale videos), and where it came from.
/// </summary>
public sealed class FrameInput
{
    public FrameInput(Video video, long frameIndex, byte[] pixels, int height, int width, int channels)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(pixels);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Frames have 1 (grayscale) or 3 (RGB) channels.");
        if (height <= 0 || width <= 0 || pixels.Length < (long)height * width * channels)
            throw new ArgumentException($"A {height}x{width}x{channels} frame needs {(long)height * width * channels} bytes; got {pixels.Length}.", nameof(pixels));
        Video = video;
        FrameIndex = frameIndex;
        Pixels = pixels;
        Height = height;
        Width = width;
        Channels = channels;
    }

    public Video Video { get; }

    public long FrameIndex { get; }

    /// <summary>Row-major height x width x channels bytes (RGB order for 3 channels).</summary>
    public byte[] Pixels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>1 (grayscale) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>
    /// The user instances of this frame, for the ground-truth stand-ins of a missing top-down stage
    /// (docs/design/inference.md §9.6); null when the frame comes from a video rather than a labels file.
    /// </summary>
    public IReadOnlyList<Instance>? GroundTruth { get; init; }

    public override string ToString() => $"{Video} frame {FrameIndex} ({Height}x{Width}x{Channels})";
}
