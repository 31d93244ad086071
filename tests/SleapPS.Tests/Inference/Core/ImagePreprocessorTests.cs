using SleapPS.Engine.Inference.Core;

namespace SleapPS.Tests.Inference.Core;

/// <summary>
/// Preprocessing against SLEAP's test_inference_layer (docs/design/references.md §2.2) and TF's exact resize, colour and size-matching
/// arithmetic (docs/design/inference.md §3.2 - §3.4).
/// </summary>
public class ImagePreprocessorTests
{
    [Fact]
    public void Uint8_255_becomes_exactly_1()
    {
        var output = ToModelInput(Filled(4, 4, 1, 255), 4, 4, 1, 1, 1.0, 1, out var size);

        Assert.Equal((4, 4), size);
        Assert.All(output, v => Assert.Equal(1.0f, v));
    }

    [Fact]
    public void Rgb_255_to_a_grayscale_model_is_one_channel_of_exactly_1()
    {
        var output = ToModelInput(Filled(4, 4, 3, 255), 4, 4, 3, 1, 1.0, 1, out var size);

        Assert.Equal((4, 4), size);
        Assert.Equal(16, output.Length);
        Assert.All(output, v => Assert.Equal(1.0f, v));
    }

    [Fact]
    public void Gray_to_an_rgb_model_replicates_the_channel()
    {
        var pixels = Enumerable.Range(0, 16).Select(i => (byte)(i * 16)).ToArray();

        var output = ToModelInput(pixels, 4, 4, 1, 3, 1.0, 1, out _);

        Assert.Equal(48, output.Length);
        for (int i = 0; i < 16; i++)
            Assert.Equal([pixels[i] * (1f / 255f), pixels[i] * (1f / 255f), pixels[i] * (1f / 255f)], output.Skip(3 * i).Take(3));
    }

    [Fact]
    public void Scale_half_makes_8x8_into_4x4_averaging_2x2_blocks()
    {
        var pixels = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

        var output = ToModelInput(pixels, 8, 8, 1, 1, 0.5, 1, out var size);

        Assert.Equal((4, 4), size);
        // Half-pixel centres at scale 2 read exactly between 4 pixels: the mean of (2y, 2x), (2y, 2x+1), (2y+1, 2x), (2y+1, 2x+1).
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                Assert.Equal((16 * y + 2 * x + 4.5) / 255, output[y * 4 + x], 1e-6);
    }

    [Fact]
    public void Pad_to_stride_2_makes_3x3_into_4x4_with_zeros_right_and_below()
    {
        var output = ToModelInput(Filled(3, 3, 1, 255), 3, 3, 1, 1, 1.0, 2, out var size);

        Assert.Equal((4, 4), size);
        float[] expected = [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0];
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Scale_half_and_pad_2_make_6x6_into_4x4()
    {
        var output = ToModelInput(Filled(6, 6, 1, 255), 6, 6, 1, 1, 0.5, 2, out var size);

        Assert.Equal((4, 4), size);
        float[] expected = [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0];
        Assert.Equal(expected, output);
    }

    [Fact]
    public void A_larger_destination_is_zero_padded_and_stale_values_are_cleared()
    {
        var destination = Enumerable.Repeat(7f, 5 * 6).ToArray();

        ImagePreprocessor.ToModelInput(Filled(3, 3, 1, 255), 3, 3, 1, 1, 1.0, 2, destination, 5, 6);

        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 6; x++)
                Assert.Equal(y < 3 && x < 3 ? 1f : 0f, destination[y * 6 + x]);
    }

    [Theory]
    [InlineData(384, 384, 1.0, 8, 384, 384)]
    [InlineData(320, 560, 0.5, 4, 160, 280)]
    [InlineData(321, 561, 0.5, 4, 160, 280)]
    [InlineData(100, 90, 1.0, 16, 112, 96)]
    [InlineData(101, 99, 0.35, 8, 40, 40)] // int(35.35) = 35 -> 40, int(34.65) = 34 -> 40
    public void Output_size_truncates_then_pads(int height, int width, double scale, int stride, int expectedHeight, int expectedWidth)
    {
        Assert.Equal((expectedHeight, expectedWidth), ImagePreprocessor.OutputSize(height, width, scale, stride));
    }

    [Fact]
    public void Float_resize_upsamples_2x2_to_4x4_with_half_pixel_centres()
    {
        float[] source = [0, 10, 20, 30];
        var output = new float[16];

        ImagePreprocessor.ResizeBilinear(source, 2, 2, 1, output, 4, 4);

        // Source positions (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to the edge pixels.
        float[] expected = [0, 2.5f, 7.5f, 10, 5, 7.5f, 12.5f, 15, 15, 17.5f, 22.5f, 25, 20, 22.5f, 27.5f, 30];
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Uint8_resize_truncates()
    {
        byte[] source = [0, 10, 20, 30];
        var output = new byte[16];

        ImagePreprocessor.ResizeBilinear(source, 2, 2, 1, output, 4, 4);

        byte[] expected = [0, 2, 7, 10, 5, 7, 12, 15, 15, 17, 22, 25, 20, 22, 27, 30];
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Resize_keeps_channels_apart()
    {
        // Two pixels in a row, RGB; 1x2 -> 1x4: source x = -0.25, 0.25, 0.75, 1.25.
        byte[] source = [0, 100, 200, 40, 100, 0];
        var output = new byte[12];

        ImagePreprocessor.ResizeBilinear(source, 1, 2, 3, output, 1, 4);

        byte[] expected = [0, 100, 200, 10, 100, 150, 30, 100, 50, 40, 100, 0];
        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData(255, 255, 255, 255)]
    [InlineData(0, 0, 0, 0)]
    [InlineData(255, 0, 0, 76)]    // 0.2989 * 255.5 = 76.37
    [InlineData(0, 255, 0, 149)]   // 0.587 * 255.5 = 149.97: truncated, not rounded
    [InlineData(0, 0, 255, 29)]    // 0.114 * 255.5 = 29.13
    [InlineData(100, 150, 200, 141)] // (0.2989 * 100 + 0.587 * 150 + 0.114 * 200) / 255 * 255.5 = 141.02
    public void Rgb_to_gray_is_tf_rgb_to_grayscale(byte r, byte g, byte b, byte expected)
    {
        Assert.Equal(expected, ImagePreprocessor.Gray(r, g, b));

        var destination = new byte[1];
        ImagePreprocessor.ConvertColour([r, g, b], 1, 3, 1, destination);
        Assert.Equal(expected, destination[0]);
    }

    [Fact]
    public void Gray_to_rgb_copies_the_channel()
    {
        var destination = new byte[6];

        ImagePreprocessor.ConvertColour([7, 200], 2, 1, 3, destination);

        Assert.Equal([7, 7, 7, 200, 200, 200], destination);
    }

    [Fact]
    public void MatchSize_leaves_a_frame_of_the_target_size_alone()
    {
        var pixels = Filled(4, 6, 1, 9);

        var (matched, height, width, scale) = ImagePreprocessor.MatchSize(pixels, 4, 6, 1, 4, 6);

        Assert.Same(pixels, matched);
        Assert.Equal((4, 6, 1.0), (height, width, scale));
    }

    [Fact]
    public void MatchSize_scales_to_fit_and_pads_bottom_right()
    {
        // 2x4 into 8x8: hratio 4 > wratio 2, so r = 2, size (4, 8), then 4 rows of zero padding below.
        byte[] pixels = [0, 40, 80, 120, 100, 140, 180, 220];

        var (matched, height, width, scale) = ImagePreprocessor.MatchSize(pixels, 2, 4, 1, 8, 8);

        Assert.Equal((8, 8, 2.0), (height, width, scale));
        var expectedTop = new byte[32];
        ImagePreprocessor.ResizeBilinear(pixels, 2, 4, 1, expectedTop, 4, 8);
        Assert.Equal(expectedTop, matched.Take(32));
        Assert.Equal([0, 10, 30, 50, 70, 90, 110, 120], matched.Take(8));
        Assert.All(matched.Skip(32), v => Assert.Equal(0, v));
    }

    [Fact]
    public void MatchSize_pads_the_width_when_height_is_the_bottleneck()
    {
        // 4x2 into 4x4: hratio 1 <= wratio 2, so r = 1, size (4, 2): the frame is kept and 2 zero columns added on the right.
        byte[] pixels = [1, 2, 3, 4, 5, 6, 7, 8];

        var (matched, height, width, scale) = ImagePreprocessor.MatchSize(pixels, 4, 2, 1, 4, 4);

        Assert.Equal((4, 4, 1.0), (height, width, scale));
        Assert.Equal([1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0, 7, 8, 0, 0], matched);
    }

    [Theory]
    [InlineData(320, 560, 3, 3, 0.5, 4)]   // the robot model on small_robot.mp4
    [InlineData(1024, 1024, 1, 1, 0.5, 16)] // bottom-up multi-class on clip.mp4
    [InlineData(321, 561, 3, 3, 0.5, 4)]
    [InlineData(37, 53, 1, 1, 0.35, 8)]
    [InlineData(37, 53, 3, 1, 0.75, 1)]
    [InlineData(19, 23, 1, 3, 0.6, 2)]
    [InlineData(9, 13, 3, 3, 1.7, 4)]
    [InlineData(9, 13, 1, 1, 2.0, 1)]
    [InlineData(5, 3, 1, 1, 1.0, 8)]
    [InlineData(50, 70, 3, 3, 1.0, 16)]
    [InlineData(50, 70, 3, 1, 1.0, 16)]
    [InlineData(50, 70, 1, 3, 1.0, 16)]
    public void Model_input_is_bit_for_bit_the_whole_frame_converted_then_resized_then_padded(int height, int width, int channels, int modelChannels, double scale, int stride)
    {
        var random = new Random(height * 1000 + width);
        var pixels = new byte[height * width * channels];
        random.NextBytes(pixels);

        var output = ToModelInput(pixels, height, width, channels, modelChannels, scale, stride, out var size);

        // The plain way: every pixel to float (colour conversion on uint8 first), the float resize, zeros around.
        var converted = new float[height * width * modelChannels];
        for (int p = 0; p < height * width; p++)
            for (int c = 0; c < modelChannels; c++)
                converted[p * modelChannels + c] = (channels == modelChannels ? pixels[p * channels + c]
                    : modelChannels == 1 ? ImagePreprocessor.Gray(pixels[3 * p], pixels[3 * p + 1], pixels[3 * p + 2])
                    : pixels[p]) * ImagePreprocessor.ByteToFloat;
        var (scaledHeight, scaledWidth) = ImagePreprocessor.ScaledSize(height, width, scale);
        var resized = converted;
        if ((float)scale != 1f)
        {
            resized = new float[scaledHeight * scaledWidth * modelChannels];
            ImagePreprocessor.ResizeBilinear(converted, height, width, modelChannels, resized, scaledHeight, scaledWidth);
        }
        int mismatches = 0;
        for (int y = 0; y < size.Item1; y++)
            for (int x = 0; x < size.Item2 * modelChannels; x++)
            {
                float expected = y < scaledHeight && x < scaledWidth * modelChannels ? resized[(y * scaledWidth) * modelChannels + x] : 0f;
                if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(output[y * size.Item2 * modelChannels + x]))
                    mismatches++;
            }
        Assert.Equal(0, mismatches);
    }

    private static float[] ToModelInput(byte[] pixels, int height, int width, int channels, int modelChannels, double scale, int stride, out (int, int) size)
    {
        size = ImagePreprocessor.OutputSize(height, width, scale, stride);
        var output = new float[size.Item1 * size.Item2 * modelChannels];
        ImagePreprocessor.ToModelInput(pixels, height, width, channels, modelChannels, scale, stride, output, size.Item1, size.Item2);
        return output;
    }

    private static byte[] Filled(int height, int width, int channels, byte value) => Enumerable.Repeat(value, height * width * channels).ToArray();
}

/// <summary>The float32 resize against the double-precision reference used by the converter tests, on odd sizes both ways.</summary>
public class ResizeReferenceTests
{
    [Theory]
    [InlineData(7, 5, 3, 11)]
    [InlineData(13, 17, 6, 4)]
    [InlineData(10, 10, 5, 5)]
    public void Float_resize_agrees_with_the_double_reference(int height, int width, int outHeight, int outWidth)
    {
        var random = new Random(height * 100 + width);
        var source = Enumerable.Range(0, height * width * 3).Select(_ => (float)random.NextDouble()).ToArray();
        var output = new float[outHeight * outWidth * 3];

        ImagePreprocessor.ResizeBilinear(source, height, width, 3, output, outHeight, outWidth);

        var reference = SleapPS.Tests.Models.Reference.ReferenceOps.ResizeBilinearHalfPixel(
            new SleapPS.Tests.Models.Reference.Tensor64([1, height, width, 3], Array.ConvertAll(source, v => (double)v)), outHeight, outWidth);
        for (int i = 0; i < output.Length; i++)
            Assert.Equal(reference.Data[i], output[i], 1e-5);
    }
}
