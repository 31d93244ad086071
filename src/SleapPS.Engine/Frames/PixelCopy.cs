using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OpenCvSharp;

namespace SleapPS.Engine.Frames;

/// <summary>Copies decoded OpenCV images into SLEAP's channel layout without intermediate buffers.</summary>
internal static unsafe class PixelCopy
{
    /// <summary>SLEAP's grayscale test: channel 0 equals channel 2 at every pixel of a 3-channel image.</summary>
    public static bool Channel0EqualsChannel2(Mat image)
    {
        int rows = image.Rows, cols = image.Cols;
        long step = image.Step();
        byte* data = (byte*)image.Data;
        for (int y = 0; y < rows; y++)
        {
            byte* row = data + y * step;
            for (int x = 0; x < cols; x++, row += 3)
                if (row[0] != row[2])
                    return false;
        }
        return true;
    }

    /// <summary>Copies the pixels as stored (any channel count), dropping row padding.</summary>
    public static void CopyAsStored(Mat image, Span<byte> destination)
    {
        int rows = image.Rows, rowBytes = image.Cols * image.Channels();
        long step = image.Step();
        byte* data = (byte*)image.Data;
        for (int y = 0; y < rows; y++)
            new ReadOnlySpan<byte>(data + y * step, rowBytes).CopyTo(destination.Slice(y * rowBytes, rowBytes));
    }

    /// <summary>Copies channel 0 of a 3-channel image: SLEAP's grayscale frame.</summary>
    public static void CopyChannel0(Mat image, Span<byte> destination)
    {
        var (rows, cols, step) = RowsOf(image);
        byte* data = (byte*)image.Data;
        fixed (byte* start = destination)
            for (int y = 0; y < rows; y++)
                Channel0Row(data + y * step, start + (long)y * cols, cols);
    }

    /// <summary>Copies a 3-channel image with its channels reversed: OpenCV's BGR becomes SLEAP's RGB.</summary>
    public static void CopyReversed(Mat image, Span<byte> destination)
    {
        var (rows, cols, step) = RowsOf(image);
        byte* data = (byte*)image.Data;
        fixed (byte* start = destination)
            for (int y = 0; y < rows; y++)
                ReversedRow(data + y * step, start + (long)y * cols * 3, cols);
    }

    /// <summary>SLEAP's layout for a BGR decode (video file or image): channel 0 when grayscale, else RGB.</summary>
    public static void CopyBgrAsSleap(Mat bgr, bool grayscale, Span<byte> destination)
    {
        if (grayscale) CopyChannel0(bgr, destination);
        else CopyReversed(bgr, destination);
    }

    /// <summary>The image's rows, pixels per row and row step; a continuous image is one long row, so that the vector loops run over row ends too.</summary>
    private static (int Rows, int Cols, long Step) RowsOf(Mat image) =>
        image.IsContinuous() ? (1, image.Rows * image.Cols, 0) : (image.Rows, image.Cols, image.Step());

    // These copies were a tenth of the decode thread's time at 1024x1024 byte by byte. SSSE3 byte shuffles move the
    // same bytes 16 at a time (a copy, no arithmetic, so the frame is bit for bit the same); 0x80 writes a zero byte.
    private static readonly Vector128<byte> Channel0Of0To15 = Vector128.Create(0, 3, 6, 9, 12, 15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, (byte)0x80);
    private static readonly Vector128<byte> Channel0Of16To31 = Vector128.Create(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 2, 5, 8, 11, 14, 0x80, 0x80, 0x80, 0x80, (byte)0x80);
    private static readonly Vector128<byte> Channel0Of32To47 = Vector128.Create(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1, 4, 7, 10, (byte)13);
    private static readonly Vector128<byte> ReverseFivePixels = Vector128.Create(2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9, 14, 13, 12, (byte)15);

    /// <summary>Byte 0 of each of <paramref name="pixels"/> 3-byte pixels.</summary>
    private static void Channel0Row(byte* source, byte* destination, int pixels)
    {
        int x = 0;
        if (Ssse3.IsSupported)
        {
            // 16 pixels (48 bytes) in, 16 bytes out.
            for (; x + 16 <= pixels; x += 16)
            {
                byte* s = source + 3 * x;
                var channel0 = Ssse3.Shuffle(Sse2.LoadVector128(s), Channel0Of0To15)
                             | Ssse3.Shuffle(Sse2.LoadVector128(s + 16), Channel0Of16To31)
                             | Ssse3.Shuffle(Sse2.LoadVector128(s + 32), Channel0Of32To47);
                Sse2.Store(destination + x, channel0);
            }
        }
        for (; x < pixels; x++)
            destination[x] = source[3 * x];
    }

    /// <summary><paramref name="pixels"/> 3-byte pixels, each with its bytes in reverse order.</summary>
    private static void ReversedRow(byte* source, byte* destination, int pixels)
    {
        int x = 0;
        if (Ssse3.IsSupported)
        {
            // 5 pixels a step: 16 bytes read and written, the 16th rewritten by the next step; a step that would read
            // or write past the row is left to the scalar loop.
            for (; 3 * x + 16 <= 3 * pixels; x += 5)
                Sse2.Store(destination + 3 * x, Ssse3.Shuffle(Sse2.LoadVector128(source + 3 * x), ReverseFivePixels));
        }
        for (; x < pixels; x++)
        {
            destination[3 * x] = source[3 * x + 2];
            destination[3 * x + 1] = source[3 * x + 1];
            destination[3 * x + 2] = source[3 * x];
        }
    }
}
