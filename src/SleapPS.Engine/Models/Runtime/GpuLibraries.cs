using System.Runtime.InteropServices;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// The native libraries ONNX Runtime's CUDA and TensorRT providers load, as this operating system names them, and a probe
/// that tries each one with the system's loader (dlopen, LoadLibrary) and says which are missing: a provider that cannot
/// find one fails deep inside ONNX Runtime, so they are checked first (docs/design/gpu.md §2).
/// </summary>
internal static class GpuLibraries
{
    /// <summary>CUDA 13's runtime and cuBLAS, and cuDNN 9: what ONNX Runtime 1.32's CUDA provider is built against.</summary>
    public static IReadOnlyList<string> Cuda { get; } = OperatingSystem.IsWindows()
        ? ["cudart64_13.dll", "cublas64_13.dll", "cublasLt64_13.dll", "cudnn64_9.dll"]
        : ["libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcudnn.so.9"];

    /// <summary>TensorRT 10's runtime, which the TensorRT provider loads on top of CUDA's libraries.</summary>
    public static IReadOnlyList<string> TensorRT { get; } = OperatingSystem.IsWindows()
        ? ["nvinfer_10.dll"]
        : ["libnvinfer.so.10"];

    /// <summary>The libraries <paramref name="kind"/> needs: CUDA's for Cuda; CUDA's and TensorRT's for TensorRT.</summary>
    public static IReadOnlyList<string> For(DeviceKind kind) => kind == DeviceKind.TensorRT ? [.. Cuda, .. TensorRT] : Cuda;

    /// <summary>The libraries of <paramref name="names"/> the system's loader cannot load; each found one is released again.</summary>
    public static List<string> Missing(IEnumerable<string> names)
    {
        var missing = new List<string>();
        foreach (string name in names)
        {
            if (NativeLibrary.TryLoad(name, out IntPtr handle))
                NativeLibrary.Free(handle);
            else
                missing.Add(name);
        }
        return missing;
    }

    /// <summary>The variable the system's loader searches for libraries: LD_LIBRARY_PATH or PATH.</summary>
    public static string SearchPathVariable => OperatingSystem.IsWindows() ? "PATH" : "LD_LIBRARY_PATH";

    /// <summary>What to install for <paramref name="kind"/>, in one sentence.</summary>
    public static string InstallHint(DeviceKind kind) =>
        "Install an NVIDIA driver for CUDA 13, the CUDA 13 toolkit (or its runtime and cuBLAS), and cuDNN 9 for CUDA 13" +
        (kind == DeviceKind.TensorRT ? ", and TensorRT 10 for CUDA 13" : "") +
        $", and put their library folders on {SearchPathVariable}" +
        " (the CUDA libraries of a PyTorch installation built for CUDA 13 serve as well).";
}
