using OpenCvSharp;
using SleapPS.Engine.Frames;

namespace SleapPS.Tests.Frames;

/// <summary>The vectorised copies give the bytes a pixel-by-pixel copy gives, whatever the width, row padding and remainder.</summary>
public class PixelCopyTests
{
    public static TheoryData<int, int, bool> Shapes() => new()
    {
        { 1, 1, false }, { 3, 5, false }, { 7, 16, false }, { 4, 17, false }, { 5, 21, false }, { 9, 47, false },
        { 320, 560, false }, { 2, 33, true }, { 11, 50, true }, { 6, 5, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Channel_0_and_reversed_copies_match_a_pixel_by_pixel_copy(int rows, int cols, bool padded)
    {
        // A padded image is a region of a wider one: its rows are not contiguous.
        using var whole = new Mat(rows, cols + (padded ? 7 : 0), MatType.CV_8UC3);
        Cv2.Randu(whole, Scalar.All(0), Scalar.All(256));
        using var image = padded ? new Mat(whole, new Rect(3, 0, cols, rows)) : whole;
        Assert.Equal(!padded, image.IsContinuous());
        var bgr = new byte[rows * cols * 3];
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
            {
                var pixel = image.At<Vec3b>(y, x);
                (bgr[3 * (y * cols + x)], bgr[3 * (y * cols + x) + 1], bgr[3 * (y * cols + x) + 2]) = (pixel.Item0, pixel.Item1, pixel.Item2);
            }

        // One byte more than the frame: nothing is written past it.
        var gray = new byte[rows * cols + 1];
        gray[^1] = 0xA5;
        PixelCopy.CopyChannel0(image, gray);
        Assert.Equal(Enumerable.Range(0, rows * cols).Select(p => bgr[3 * p]), gray[..^1]);
        Assert.Equal(0xA5, gray[^1]);

        var rgb = new byte[rows * cols * 3 + 1];
        rgb[^1] = 0xA5;
        PixelCopy.CopyReversed(image, rgb);
        Assert.Equal(Enumerable.Range(0, rows * cols * 3).Select(i => bgr[i - i % 3 + 2 - i % 3]), rgb[..^1]);
        Assert.Equal(0xA5, rgb[^1]);
    }
}
