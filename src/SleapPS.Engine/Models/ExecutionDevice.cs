using System.Globalization;

namespace SleapPS.Engine.Models;

/// <summary>What kind of device runs a model (docs/design/gpu.md §2).</summary>
public enum DeviceKind
{
    /// <summary>The CPU (always available).</summary>
    Cpu,
    /// <summary>An NVIDIA GPU through ONNX Runtime's CUDA execution provider.</summary>
    Cuda,
    /// <summary>An NVIDIA GPU through ONNX Runtime's TensorRT execution provider (CUDA for what TensorRT does not take).</summary>
    TensorRT,
    /// <summary>CUDA on GPU 0 when its libraries load, otherwise the CPU; the device actually used is reported.</summary>
    Auto,
}

/// <summary>
/// Where ONNX Runtime runs a model: <c>Cpu</c>, <c>Cuda</c> (GPU 0), <c>Cuda:N</c>, <c>TensorRT</c>, <c>TensorRT:N</c> or
/// <c>Auto</c>, as a user writes it (<see cref="Parse"/>) and as it is shown (<see cref="ToString"/>).
/// </summary>
public readonly record struct ExecutionDevice
{
    private ExecutionDevice(DeviceKind kind, int gpu)
    {
        Kind = kind;
        Gpu = gpu;
    }

    public DeviceKind Kind { get; }

    /// <summary>The CUDA device index of a Cuda or TensorRT device; 0 otherwise.</summary>
    public int Gpu { get; }

    /// <summary>True for the devices that run on an NVIDIA GPU (Cuda and TensorRT).</summary>
    public bool IsGpu => Kind is DeviceKind.Cuda or DeviceKind.TensorRT;

    public static ExecutionDevice Cpu => new(DeviceKind.Cpu, 0);

    /// <summary>GPU 0 through CUDA.</summary>
    public static ExecutionDevice Cuda => new(DeviceKind.Cuda, 0);

    /// <summary>GPU 0 through TensorRT.</summary>
    public static ExecutionDevice TensorRT => new(DeviceKind.TensorRT, 0);

    public static ExecutionDevice Auto => new(DeviceKind.Auto, 0);

    /// <summary>GPU <paramref name="gpu"/> through CUDA.</summary>
    public static ExecutionDevice CudaGpu(int gpu) => OnGpu(DeviceKind.Cuda, gpu);

    /// <summary>GPU <paramref name="gpu"/> through TensorRT.</summary>
    public static ExecutionDevice TensorRTGpu(int gpu) => OnGpu(DeviceKind.TensorRT, gpu);

    private static ExecutionDevice OnGpu(DeviceKind kind, int gpu) => gpu >= 0
        ? new(kind, gpu)
        : throw new SleapException(SleapErrorKind.InvalidArgument, $"The GPU index {gpu} is negative; GPUs are numbered from 0.");

    /// <summary>The forms <see cref="Parse"/> accepts, for messages and tab completion.</summary>
    public const string Forms = "Cpu, Cuda, Cuda:N (GPU N, from 0), TensorRT, TensorRT:N or Auto";

    /// <summary>
    /// Reads a device as a user writes it, ignoring case: Cpu, Cuda, Cuda:N, TensorRT, TensorRT:N, Auto.
    /// PowerShell converts a parameter's text with this method.
    /// </summary>
    /// <exception cref="SleapException">InvalidArgument naming the text and the forms accepted.</exception>
    public static ExecutionDevice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':');
        string name = colon < 0 ? trimmed : trimmed[..colon];
        string? known = Enum.GetNames<DeviceKind>().FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (known is null)
            throw Invalid(text);
        var kind = Enum.Parse<DeviceKind>(known);
        if (colon < 0)
            return new(kind, 0);
        if (kind is not (DeviceKind.Cuda or DeviceKind.TensorRT)
            || !int.TryParse(trimmed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int gpu))
            throw Invalid(text);
        return new(kind, gpu);
    }

    private static SleapException Invalid(string text) =>
        new(SleapErrorKind.InvalidArgument, $"'{text}' is not a device. Use {Forms}.");

    /// <summary>"Cpu", "Cuda", "Cuda:1", "TensorRT", "Auto": GPU 0 goes unnamed, as a user writes it.</summary>
    public override string ToString() => IsGpu && Gpu > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Kind}:{Gpu}")
        : Kind.ToString();
}
