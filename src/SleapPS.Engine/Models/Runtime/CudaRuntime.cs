using System.Runtime.InteropServices;
using System.Text;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// The few CUDA runtime calls SleapPS makes itself, through the CUDA 13 runtime library loaded at run time (never linked):
/// how many GPUs there are, their names, and their free memory (for -BatchSize Auto). <see cref="TryOpen"/> returns null
/// where the library cannot load, so a machine without CUDA never reaches a CUDA call (docs/design/gpu.md §2).
/// </summary>
internal sealed unsafe class CudaRuntime
{
    private const int Success = 0;

    // cudaDeviceProp begins with char name[256]; the rest of the struct changes between CUDA versions, so it is given a
    // buffer far larger than any version's struct and only the name is read.
    private const int DevicePropBufferBytes = 16 * 1024;

    private readonly delegate* unmanaged<int*, int> _getDeviceCount;
    private readonly delegate* unmanaged<int, int> _setDevice;
    private readonly delegate* unmanaged<nuint*, nuint*, int> _memGetInfo;
    private readonly delegate* unmanaged<byte*, int, int> _getDeviceProperties;
    private readonly delegate* unmanaged<int, byte*> _getErrorString;

    private static readonly Lazy<CudaRuntime?> Instance = new(Open);

    private CudaRuntime(IntPtr library)
    {
        _getDeviceCount = (delegate* unmanaged<int*, int>)NativeLibrary.GetExport(library, "cudaGetDeviceCount");
        _setDevice = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(library, "cudaSetDevice");
        _memGetInfo = (delegate* unmanaged<nuint*, nuint*, int>)NativeLibrary.GetExport(library, "cudaMemGetInfo");
        _getErrorString = (delegate* unmanaged<int, byte*>)NativeLibrary.GetExport(library, "cudaGetErrorString");
        // CUDA 12 and later export the current struct layout as cudaGetDeviceProperties_v2.
        _getDeviceProperties = (delegate* unmanaged<byte*, int, int>)(NativeLibrary.TryGetExport(library, "cudaGetDeviceProperties_v2", out IntPtr v2)
            ? v2
            : NativeLibrary.GetExport(library, "cudaGetDeviceProperties"));
    }

    /// <summary>The CUDA runtime, or null when its library (<see cref="GpuLibraries.Cuda"/>[0]) cannot be loaded.</summary>
    public static CudaRuntime? TryOpen() => Instance.Value;

    private static CudaRuntime? Open()
    {
        if (!NativeLibrary.TryLoad(GpuLibraries.Cuda[0], out IntPtr library)) return null;
        try
        {
            return new CudaRuntime(library);
        }
        catch (EntryPointNotFoundException)
        {
            NativeLibrary.Free(library);
            return null;
        }
    }

    /// <summary>The number of GPUs the driver offers, or the CUDA error that says why none can be used.</summary>
    public (int Count, string? Error) DeviceCount()
    {
        int count = 0;
        int status = _getDeviceCount(&count);
        return status == Success ? (count, null) : (0, ErrorText(status));
    }

    /// <summary>GPU <paramref name="gpu"/>'s name ("NVIDIA H100 80GB HBM3"), or "GPU n" when the driver does not say.</summary>
    public string Name(int gpu)
    {
        byte* buffer = (byte*)NativeMemory.AllocZeroed(DevicePropBufferBytes);
        try
        {
            if (_getDeviceProperties(buffer, gpu) != Success) return $"GPU {gpu}";
            int length = 0;
            while (length < 256 && buffer[length] != 0) length++;
            return Encoding.UTF8.GetString(buffer, length);
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    /// <summary>The free and total memory of GPU <paramref name="gpu"/>, in bytes.</summary>
    /// <exception cref="SleapException">NotSupported with CUDA's error when the GPU cannot be queried.</exception>
    public (long Free, long Total) Memory(int gpu)
    {
        int status = _setDevice(gpu);
        nuint free = 0, total = 0;
        if (status == Success) status = _memGetInfo(&free, &total);
        if (status != Success)
            throw new SleapException(SleapErrorKind.NotSupported, $"The memory of GPU {gpu} cannot be read: CUDA says {ErrorText(status)}.");
        return ((long)free, (long)total);
    }

    private string ErrorText(int status)
    {
        byte* text = _getErrorString(status);
        return text is null ? $"error {status}" : $"'{Marshal.PtrToStringUTF8((IntPtr)text)}' (error {status})";
    }
}
