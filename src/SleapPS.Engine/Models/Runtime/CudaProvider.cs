using Microsoft.ML.OnnxRuntime;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Adds ONNX Runtime's CUDA execution provider to session options, or explains exactly why it cannot:
/// the module ships the CPU build of ONNX Runtime, and the GPU build must be installed by hand.
/// </summary>
internal static class CudaProvider
{
    private const string ProviderName = "CUDAExecutionProvider";

    /// <summary>Appends the CUDA provider for GPU 0; throws NotSupported with installation steps when it cannot.</summary>
    public static void Append(SessionOptions options)
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        if (!available.Contains(ProviderName))
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The CUDA device needs the GPU build of ONNX Runtime, but the ONNX Runtime loaded here is the CPU build (its providers: {string.Join(", ", available)}). " +
                InstallHint(), NativeFolder());
        try
        {
            options.AppendExecutionProvider_CUDA(0);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The GPU build of ONNX Runtime is present but its CUDA provider could not start: {ex.Message} " + InstallHint(), NativeFolder(), ex);
        }
    }

    /// <summary>What to install and where, for this operating system.</summary>
    internal static string InstallHint()
    {
        bool windows = OperatingSystem.IsWindows();
        string libraries = windows
            ? "onnxruntime.dll, onnxruntime_providers_cuda.dll and onnxruntime_providers_shared.dll"
            : "libonnxruntime.so, libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so";
        string libraryPath = windows ? "PATH" : "LD_LIBRARY_PATH";
        return $"Install the GPU build of ONNX Runtime {OnnxRuntimeVersion()} for CUDA 12: copy {libraries} " +
               "from the Microsoft.ML.OnnxRuntime.Gpu NuGet package (its runtimes/<rid>/native folder) or from the onnxruntime-gpu GitHub release (its lib folder) " +
               $"into '{NativeFolder()}', replacing the CPU libraries there. CUDA 12 and cuDNN 9 must be installed and on the library path ({libraryPath}). " +
               "Until then use the Cpu device, or Auto to fall back to the CPU.";
    }

    /// <summary>"1.31.x": the GPU build must match the managed ONNX Runtime's major and minor version.</summary>
    private static string OnnxRuntimeVersion()
    {
        var version = typeof(InferenceSession).Assembly.GetName().Version;
        return version is null ? "1.31.x" : $"{version.Major}.{version.Minor}.x";
    }

    /// <summary>The folder the native ONNX Runtime libraries load from: runtimes/&lt;rid&gt;/native beside the managed assembly.</summary>
    internal static string NativeFolder()
    {
        string baseDir = Path.GetDirectoryName(typeof(InferenceSession).Assembly.Location) ?? AppContext.BaseDirectory;
        return Path.Combine(baseDir, "runtimes", Native.NativeLibraryResolver.RuntimeIdentifier(), "native");
    }
}
