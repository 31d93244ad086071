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
        int rows = image.Rows, cols = image.Cols;
        long step = image.Step();
        byte* data = (byte*)image.Data;
        fixed (byte* start = destination)
        {
            byte* dst = start;
            for (int y = 0; y < rows; y++)
            {
                byte* src = data + y * step;
                for (int x = 0; x < cols; x++, src += 3)
                    *dst++ = *src;
            }
        }
    }

    /// <summary>Copies a 3-channel image with its channels reversed: OpenCV's BGR becomes SLEAP's RGB.</summary>
    public static void CopyReversed(Mat image, Span<byte> destination)
    {
        int rows = image.Rows, cols = image.Cols;
        long step = image.Step();
        byte* data = (byte*)image.Data;
        fixed (byte* start = destination)
        {
            byte* dst = start;
            for (int y = 0; y < rows; y++)
            {
                byte* src = data + y * step;
                for (int x = 0; x < cols; x++, src += 3, dst += 3)
                {
                    dst[0] = src[2];
                    dst[1] = src[1];
                    dst[2] = src[0];
                }
            }
        }
    }

    /// <summary>SLEAP's layout for a BGR decode (video file or image): channel 0 when grayscale, else RGB.</summary>
    public static void CopyBgrAsSleap(Mat bgr, bool grayscale, Span<byte> destination)
    {
        if (grayscale) CopyChannel0(bgr, destination);
        else CopyReversed(bgr, destination);
    }
}
