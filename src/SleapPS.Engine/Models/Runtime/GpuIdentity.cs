using System.Runtime.InteropServices;
using System.Text;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// What a TensorRT engine is built for (docs/design/gpu.md §7): the GPU's name and compute capability, and the TensorRT
/// version that builds it. An engine built for one GPU or TensorRT version does not load on another.
/// </summary>
/// <param name="ComputeCapability">"major.minor", e.g. "9.0" for an H100.</param>
/// <param name="TensorRtVersion">"major.minor.patch" of libnvinfer, or "" when it is not loaded.</param>
public sealed record GpuIdentity(string Name, string ComputeCapability, string TensorRtVersion)
{
    /// <summary>
    /// Asks the NVIDIA driver (libcuda, the driver API, which every CUDA version keeps) about GPU <paramref name="ordinal"/>,
    /// and libnvinfer for its version. Null when the driver is missing or has no such GPU.
    /// </summary>
    public static GpuIdentity? TryQuery(int ordinal)
    {
        try
        {
            if (Driver.cuInit(0) != 0 || Driver.cuDeviceGet(out int device, ordinal) != 0)
                return null;
            var name = new byte[256];
            if (Driver.cuDeviceGetName(name, name.Length, device) != 0
                || Driver.cuDeviceGetAttribute(out int major, ComputeCapabilityMajor, device) != 0
                || Driver.cuDeviceGetAttribute(out int minor, ComputeCapabilityMinor, device) != 0)
                return null;
            return new GpuIdentity(Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0) is >= 0 and var end ? end : name.Length),
                $"{major}.{minor}", TensorRtVersionOrEmpty());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>libnvinfer's version ("10.7.0"), or "" when TensorRT is not installed.</summary>
    private static string TensorRtVersionOrEmpty()
    {
        try
        {
            int version = TensorRt.getInferLibVersion();
            // NV_TENSORRT_VERSION: major * 10000 + minor * 100 + patch (TensorRT 10).
            return $"{version / 10000}.{version / 100 % 100}.{version % 100}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return "";
        }
    }

    private const int ComputeCapabilityMajor = 75; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
    private const int ComputeCapabilityMinor = 76; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR

    private static class Driver
    {
        private const string Library = "libcuda.so.1";
        [DllImport(Library)] public static extern int cuInit(uint flags);
        [DllImport(Library)] public static extern int cuDeviceGet(out int device, int ordinal);
        [DllImport(Library)] public static extern int cuDeviceGetName(byte[] name, int length, int device);
        [DllImport(Library)] public static extern int cuDeviceGetAttribute(out int value, int attribute, int device);
    }

    private static class TensorRt
    {
        [DllImport("libnvinfer.so.10")] public static extern int getInferLibVersion();
    }
}
