using Microsoft.ML.OnnxRuntime;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Turns the device a user asked for into the one models run on (docs/design/gpu.md §2). Cpu is always there. Cuda, Cuda:N,
/// TensorRT are checked before any session is made: the module's ONNX Runtime must be the GPU build, every CUDA (and
/// TensorRT) library must load, and GPU N must exist; each failure is an error that names what is missing and what to
/// install. Auto is Cuda on GPU 0 when all of that holds, else the CPU, with a note saying why.
/// </summary>
public static class DeviceSelection
{
    internal const string CudaProviderName = "CUDAExecutionProvider";
    internal const string TensorRTProviderName = "TensorrtExecutionProvider";

    /// <summary>
    /// The device models will run on: Cpu, Cuda(:N) or TensorRT(:N), never Auto; Auto's choice is reported through <paramref name="log"/>.
    /// </summary>
    /// <exception cref="SleapException">
    /// NotSupported when a requested GPU device cannot be used (the message names the missing library and what to install);
    /// InvalidArgument for a GPU index the machine does not have (naming the GPUs it has).
    /// </exception>
    public static ExecutionDevice Resolve(ExecutionDevice requested, Action<string>? log = null)
    {
        if (requested.Kind == DeviceKind.Cpu)
            return requested;
        if (requested.Kind != DeviceKind.Auto)
        {
            Check(requested);
            return requested;
        }
        try
        {
            Check(ExecutionDevice.Cuda);
        }
        catch (SleapException ex) when (ex.Kind == SleapErrorKind.NotSupported)
        {
            log?.Invoke($"Device Auto: the models run on the CPU. {ex.Message}");
            return ExecutionDevice.Cpu;
        }
        log?.Invoke($"Device Auto: CUDA can be used, so the models run on GPU 0 ({CudaRuntime.TryOpen()!.Name(0)}).");
        return ExecutionDevice.Cuda;
    }

    /// <summary>Throws, saying why, unless <paramref name="device"/> (a GPU device) can run models here.</summary>
    private static void Check(ExecutionDevice device)
    {
        string? problem = MissingSoftware(device, OrtEnv.Instance().GetAvailableProviders(), GpuLibraries.Missing(GpuLibraries.For(device.Kind)));
        if (problem is not null)
            throw new SleapException(SleapErrorKind.NotSupported, problem);
        var cuda = CudaRuntime.TryOpen()!;
        var (count, error) = cuda.DeviceCount();
        var names = Enumerable.Range(0, count).Select(i => $"{i}: {cuda.Name(i)}").ToList();
        if (GpuIndexProblem(device, names, error) is { } indexProblem)
            throw indexProblem;
    }

    /// <summary>
    /// Why <paramref name="device"/> cannot run here, given the providers of the ONNX Runtime that is loaded and the
    /// libraries the system's loader could not load; null when nothing is missing.
    /// </summary>
    internal static string? MissingSoftware(ExecutionDevice device, IReadOnlyCollection<string> providers, IReadOnlyList<string> missingLibraries)
    {
        var kind = device.Kind;
        string provider = kind == DeviceKind.TensorRT ? TensorRTProviderName : CudaProviderName;
        var reasons = new List<string>();
        if (!providers.Contains(provider))
            reasons.Add($"this SleapPS carries the CPU build of ONNX Runtime (its providers: {string.Join(", ", providers)}); install the GPU flavour of SleapPS (see the README)");
        if (missingLibraries.Count > 0)
            reasons.Add($"{JoinAnd(missingLibraries)} cannot be loaded. {GpuLibraries.InstallHint(kind)}");
        return reasons.Count == 0
            ? null
            : $"The device {device} cannot be used: " + string.Join("; and ", reasons) + " Until then use -Device Cpu, or Auto to fall back to the CPU.";
    }

    /// <summary>
    /// The error for a GPU index the machine lacks, given its GPUs ("0: NVIDIA H100") and CUDA's error when it found
    /// none; null when GPU <see cref="ExecutionDevice.Gpu"/> exists.
    /// </summary>
    internal static SleapException? GpuIndexProblem(ExecutionDevice device, IReadOnlyList<string> gpus, string? cudaError)
    {
        if (device.Gpu < gpus.Count) return null;
        if (gpus.Count == 0)
            return new SleapException(SleapErrorKind.NotSupported,
                $"The device {device} cannot be used: CUDA finds no GPU on this machine" + (cudaError is null ? "." : $" ({cudaError}).") +
                " Check that an NVIDIA GPU is present and that its driver supports CUDA 13 (nvidia-smi shows both). Until then use -Device Cpu.");
        return new SleapException(SleapErrorKind.InvalidArgument,
            $"The device {device} names GPU {device.Gpu}, but this machine has {gpus.Count} GPU{(gpus.Count == 1 ? "" : "s")} " +
            $"({string.Join(", ", gpus)}). Use {device.Kind}:0" + (gpus.Count > 1 ? $" to {device.Kind}:{gpus.Count - 1}." : "."));
    }

    private static string JoinAnd(IReadOnlyList<string> items) => items.Count == 1
        ? items[0]
        : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];
}
