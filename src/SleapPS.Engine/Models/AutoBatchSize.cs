using SleapPS.Engine.Models.Runtime;

namespace SleapPS.Engine.Models;

/// <summary>
/// <c>-BatchSize Auto</c> (docs/design/gpu.md §4): on a GPU, the largest batch whose estimated memory fits the GPU's free
/// memory; on the CPU, where larger batches buy nothing (the cores are busy at any size), SLEAP's default batch.
/// </summary>
public static class AutoBatchSize
{
    /// <summary>The share of the GPU's free memory a batch may take: the rest is left to cuDNN's workspaces and ONNX Runtime's arena growth.</summary>
    public const double UsableShare = 0.8;

    /// <summary>
    /// Estimated bytes of activations per input pixel: 128 float32 channels alive at once at full resolution, what a SLEAP
    /// UNet's widest full-resolution layers, their skip connection and the layer being computed hold together.
    /// </summary>
    public const long ActivationBytesPerPixel = 128 * sizeof(float);

    /// <summary>The largest batch Auto picks: past it a GPU is no faster per frame, and each batch in flight holds host memory too.</summary>
    public const int Largest = 256;

    /// <summary>The side assumed for a model that runs frames at their own size (trained size unknown).</summary>
    public const int AssumedFrameSide = 1024;

    /// <summary>Auto on the CPU: SLEAP's default batch, as <see cref="InferenceSettings"/> has it.</summary>
    public static int CpuBatchSize => new InferenceSettings().BatchSize;

    /// <summary>The batch size Auto gives <paramref name="predictor"/> on its device.</summary>
    /// <exception cref="SleapException">NotSupported when the GPU's memory cannot be read, or when not even one frame fits.</exception>
    public static int For(Predictor predictor)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        if (!predictor.Device.IsGpu) return CpuBatchSize;
        var cuda = CudaRuntime.TryOpen() ?? throw new SleapException(SleapErrorKind.NotSupported,
            $"-BatchSize Auto cannot read the memory of {predictor.Device}: {GpuLibraries.Cuda[0]} cannot be loaded. Give a number of frames instead.");
        var (free, total) = cuda.Memory(predictor.Device.Gpu);
        return Fit(free, total, BytesPerFrame(predictor.Models.Select(m => m.InputShape)), $"{predictor.Device} ({cuda.Name(predictor.Device.Gpu)})");
    }

    /// <summary>
    /// The estimated device memory one frame takes through every model: its input, its activations
    /// (<see cref="ActivationBytesPerPixel"/>) and its float32 outputs are bounded by input pixels x (channels x 4 + activations).
    /// </summary>
    public static long BytesPerFrame(IEnumerable<ModelInputShape> inputs) => inputs.Sum(input =>
        (long)(input.Height ?? AssumedFrameSide) * (input.Width ?? AssumedFrameSide) * (input.Channels * sizeof(float) + ActivationBytesPerPixel));

    /// <summary>
    /// The largest power of two (up to <see cref="Largest"/>) whose frames fit <see cref="UsableShare"/> of
    /// <paramref name="freeBytes"/>: powers of two keep the batch shapes, and so the GPU's tuned kernels, few.
    /// </summary>
    /// <exception cref="SleapException">NotSupported naming <paramref name="device"/> and its memory when one frame does not fit.</exception>
    public static int Fit(long freeBytes, long totalBytes, long bytesPerFrame, string device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerFrame);
        long frames = (long)(Math.Max(freeBytes, 0) * UsableShare) / bytesPerFrame;
        if (frames < 1)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The models need about {Mib(bytesPerFrame)} MiB of GPU memory for one frame, but {device} has {Mib(freeBytes)} MiB free of {Mib(totalBytes)} MiB. " +
                "Close what else uses the GPU, or use -Device Cpu.");
        int batch = 1;
        while (batch * 2L <= Math.Min(frames, Largest)) batch *= 2;
        return batch;
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);
}
