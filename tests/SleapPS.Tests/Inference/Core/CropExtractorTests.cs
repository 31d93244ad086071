using SleapPS.Engine.Inference.Core;

namespace SleapPS.Tests.Inference.Core;

/// <summary>Crops with tf.image.crop_and_resize's semantics (docs/design/inference.md §3.5).</summary>
public class CropExtractorTests
{
    // 5x5 single-channel image with v = 10 y + 5 x (linear, so bilinear samples are exact before truncation).
    private static readonly byte[] Linear = Enumerable.Range(0, 25).Select(i => (byte)(10 * (i / 5) + 5 * (i % 5))).ToArray();

    [Fact]
    public void Integer_centre_copies_the_pixels()
    {
        var crop = new byte[9];

        CropExtractor.Crop(Linear, 5, 5, 1, cx: 2, cy: 3, size: 3, crop);

        Assert.Equal([25, 30, 35, 35, 40, 45, 45, 50, 55], crop);
    }

    [Fact]
    public void Sub_pixel_centre_interpolates_and_truncates()
    {
        // Size 2 at (1.25, 1.0): rows 0.5, 1.5; columns 0.75, 1.75. 5 + 3.75 = 8.75 -> 8, not 9.
        var crop = new byte[4];

        CropExtractor.Crop(Linear, 5, 5, 1, cx: 1.25, cy: 1.0, size: 2, crop);

        Assert.Equal([8, 13, 18, 23], crop);
    }

    [Fact]
    public void Samples_outside_the_image_are_zero_as_a_whole()
    {
        // Size 3 at (0.2, 4): columns -0.8 (outside: 0, no blending with column 0), 0.2, 1.2; rows 3, 4, 5 (outside).
        var crop = new byte[9];

        CropExtractor.Crop(Linear, 5, 5, 1, cx: 0.2, cy: 4, size: 3, crop);

        Assert.Equal([0, 31, 36, 0, 41, 46, 0, 0, 0], crop);
    }

    [Fact]
    public void Even_crop_is_centred_between_pixels()
    {
        // Size 4 at (2, 2): positions 0.5, 1.5, 2.5, 3.5 on both axes.
        var crop = new byte[16];

        CropExtractor.Crop(Linear, 5, 5, 1, cx: 2, cy: 2, size: 4, crop);

        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal((byte)(10 * (i + 0.5) + 5 * (j + 0.5)), crop[i * 4 + j]);
    }

    [Fact]
    public void Size_1_reads_the_centre()
    {
        var crop = new byte[1];

        CropExtractor.Crop(Linear, 5, 5, 1, cx: 3, cy: 1, size: 1, crop);

        Assert.Equal(25, crop[0]);
    }

    [Fact]
    public void Rgb_crops_keep_their_channels()
    {
        // 2x2 RGB; size 2 at (0.5, 0.5) copies the image; at (1, 0.5) the right column is outside.
        byte[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var crop = new byte[12];

        CropExtractor.Crop(image, 2, 2, 3, cx: 0.5, cy: 0.5, size: 2, crop);
        Assert.Equal(image, crop);

        CropExtractor.Crop(image, 2, 2, 3, cx: 1, cy: 0.5, size: 2, crop);
        // Columns 0.5 (between the pixels) and 1.5 (outside).
        Assert.Equal([2, 3, 4, 0, 0, 0, 8, 9, 10, 0, 0, 0], crop);
    }
}
