using SleapPS.Engine;
using SleapPS.Engine.Models;

namespace SleapPS.Tests.Models;

/// <summary>-BatchSize as a user gives it, and Auto's arithmetic (docs/design/gpu.md §4) on made-up memory sizes.</summary>
public sealed class AutoBatchSizeTests
{
    private const long MiB = 1024 * 1024, GiB = 1024 * MiB;

    [Theory]
    [InlineData("Auto", null)]
    [InlineData(" auto ", null)]
    [InlineData("1", 1)]
    [InlineData("32", 32)]
    [InlineData("4096", 4096)]
    public void A_batch_size_is_a_number_of_frames_or_Auto(string text, int? frames)
    {
        var setting = BatchSizeSetting.Parse(text);
        Assert.Equal(frames, setting.Frames);
        Assert.Equal(frames is null, setting.IsAuto);
        Assert.Equal(frames?.ToString() ?? "Auto", setting.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("4097")]
    [InlineData("-1")]
    [InlineData("8.5")]
    [InlineData("Max")]
    public void Anything_else_is_refused_with_the_range(string text)
    {
        var ex = Assert.Throws<SleapException>(() => BatchSizeSetting.Parse(text));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"The batch size '{text}' is not valid: give a number of frames from 1 to 4096, or Auto for the largest batch that fits the device.", ex.Message);
        Assert.Throws<SleapException>(() => { BatchSizeSetting _ = 0; });
    }

    [Fact]
    public void A_frame_costs_its_input_and_activations_through_every_model()
    {
        // 160 x 160 grayscale: 25,600 pixels x (4 bytes of input + 512 of activations).
        Assert.Equal(25_600L * 516, AutoBatchSize.BytesPerFrame([new ModelInputShape(160, 160, 1, 16)]));
        // A top-down pair adds up; an unknown size counts as 1024 x 1024; RGB input is 12 bytes a pixel.
        Assert.Equal(25_600L * 516 + 1024L * 1024 * 524,
            AutoBatchSize.BytesPerFrame([new ModelInputShape(160, 160, 1, 16), new ModelInputShape(null, null, 3, 32)]));
    }

    [Theory]
    // 80% of 10 GiB over 100 MiB a frame is 81.9 frames: the power of two below is 64.
    [InlineData(10 * GiB, 100 * MiB, 64)]
    // Exactly 2 frames fit in 80% of 250 MiB at 100 MiB a frame.
    [InlineData(250 * MiB, 100 * MiB, 2)]
    [InlineData(125 * MiB, 100 * MiB, 1)]
    // A large GPU and a small model stop at 256.
    [InlineData(80 * GiB, 1 * MiB, 256)]
    public void Auto_is_the_largest_power_of_two_that_fits_four_fifths_of_free_memory(long free, long perFrame, int expected)
    {
        Assert.Equal(expected, AutoBatchSize.Fit(free, 80 * GiB, perFrame, "Cuda (GPU)"));
    }

    [Fact]
    public void A_model_too_large_for_the_free_memory_names_the_device_and_its_memory()
    {
        var ex = Assert.Throws<SleapException>(() => AutoBatchSize.Fit(100 * MiB, 16 * GiB, 200 * MiB, "Cuda:1 (NVIDIA T4)"));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal("The models need about 200 MiB of GPU memory for one frame, but Cuda:1 (NVIDIA T4) has 100 MiB free of 16384 MiB. " +
                     "Close what else uses the GPU, or use -Device Cpu.", ex.Message);
    }

    [Fact]
    public void On_the_cpu_Auto_is_SLEAPs_default_batch()
    {
        Assert.Equal(4, AutoBatchSize.CpuBatchSize);
        Assert.Equal(new InferenceSettings().BatchSize, AutoBatchSize.CpuBatchSize);
    }
}
