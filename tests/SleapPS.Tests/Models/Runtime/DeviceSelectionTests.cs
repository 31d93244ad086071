using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Runtime;

/// <summary>
/// Choosing the device (docs/design/gpu.md §2) on this machine, which has no GPU, no CUDA and (in the default build) the
/// CPU build of ONNX Runtime: parsing, Auto's fallback, and the exact errors for Cuda, Cuda:N and TensorRT.
/// </summary>
public sealed class DeviceSelectionTests
{
    [Theory]
    [InlineData("Cpu", "Cpu", DeviceKind.Cpu, 0)]
    [InlineData("cuda", "Cuda", DeviceKind.Cuda, 0)]
    [InlineData("CUDA:0", "Cuda", DeviceKind.Cuda, 0)]
    [InlineData(" Cuda:7 ", "Cuda:7", DeviceKind.Cuda, 7)]
    [InlineData("tensorrt", "TensorRT", DeviceKind.TensorRT, 0)]
    [InlineData("TensorRT:2", "TensorRT:2", DeviceKind.TensorRT, 2)]
    [InlineData("auto", "Auto", DeviceKind.Auto, 0)]
    public void Devices_parse_as_written_and_print_back(string text, string shown, DeviceKind kind, int gpu)
    {
        var device = ExecutionDevice.Parse(text);
        Assert.Equal(kind, device.Kind);
        Assert.Equal(gpu, device.Gpu);
        Assert.Equal(shown, device.ToString());
        Assert.Equal(device, ExecutionDevice.Parse(shown));
    }

    [Theory]
    [InlineData("Gpu")]
    [InlineData("Cuda:")]
    [InlineData("Cuda:-1")]
    [InlineData("Cuda:x")]
    [InlineData("Cpu:0")]
    [InlineData("Auto:1")]
    [InlineData("1")]
    [InlineData("Cpu,Cuda")]
    [InlineData("")]
    public void Anything_else_is_refused_naming_the_forms(string text)
    {
        var ex = Assert.Throws<SleapException>(() => ExecutionDevice.Parse(text));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"'{text}' is not a device. Use Cpu, Cuda, Cuda:N (GPU N, from 0), TensorRT, TensorRT:N or Auto.", ex.Message);
    }

    [Fact]
    public void Auto_falls_back_to_the_cpu_saying_why()
    {
        var log = new List<string>();
        Assert.Equal(ExecutionDevice.Cpu, DeviceSelection.Resolve(ExecutionDevice.Auto, log.Add));
        Assert.Equal("Device Auto: the models run on the CPU. " + NoGpuHere.Message("Cuda"), Assert.Single(log));
        Assert.Equal(ExecutionDevice.Cpu, DeviceSelection.Resolve(ExecutionDevice.Cpu, log.Add));
        Assert.Single(log);   // Cpu is taken as given, without a note
    }

    [Theory]
    [InlineData("Cuda")]
    [InlineData("Cuda:7")]
    [InlineData("TensorRT")]
    public void A_gpu_device_fails_naming_every_missing_library_and_what_to_install(string device)
    {
        var ex = Assert.Throws<SleapException>(() => DeviceSelection.Resolve(ExecutionDevice.Parse(device)));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal(NoGpuHere.Message(device), ex.Message);
    }

    [Fact]
    public void A_gpu_the_machine_lacks_is_named_with_the_gpus_it_has()
    {
        var one = DeviceSelection.GpuIndexProblem(ExecutionDevice.CudaGpu(7), ["0: NVIDIA H100 80GB HBM3"], null)!;
        Assert.Equal(SleapErrorKind.InvalidArgument, one.Kind);
        Assert.Equal("The device Cuda:7 names GPU 7, but this machine has 1 GPU (0: NVIDIA H100 80GB HBM3). Use Cuda:0.", one.Message);

        var two = DeviceSelection.GpuIndexProblem(ExecutionDevice.TensorRTGpu(2), ["0: A", "1: B"], null)!;
        Assert.Equal("The device TensorRT:2 names GPU 2, but this machine has 2 GPUs (0: A, 1: B). Use TensorRT:0 to TensorRT:1.", two.Message);

        var none = DeviceSelection.GpuIndexProblem(ExecutionDevice.Cuda, [], "'no CUDA-capable device is detected' (error 100)")!;
        Assert.Equal(SleapErrorKind.NotSupported, none.Kind);
        Assert.Equal("The device Cuda cannot be used: CUDA finds no GPU on this machine ('no CUDA-capable device is detected' (error 100)). " +
                     "Check that an NVIDIA GPU is present and that its driver supports CUDA 13 (nvidia-smi shows both). Until then use -Device Cpu.", none.Message);

        Assert.Null(DeviceSelection.GpuIndexProblem(ExecutionDevice.CudaGpu(1), ["0: A", "1: B"], null));
    }

    [Fact]
    public void The_gpu_build_with_every_library_present_has_nothing_missing()
    {
        Assert.Null(DeviceSelection.MissingSoftware(ExecutionDevice.Cuda, ["CUDAExecutionProvider", "CPUExecutionProvider"], []));
        Assert.Equal("The device TensorRT cannot be used: libnvinfer.so.10 cannot be loaded. Install an NVIDIA driver for CUDA 13, the CUDA 13 toolkit " +
                     "(or its runtime and cuBLAS), and cuDNN 9 for CUDA 13, and TensorRT 10 for CUDA 13, and put their library folders on LD_LIBRARY_PATH " +
                     "(the CUDA libraries of a PyTorch installation built for CUDA 13 serve as well). Until then use -Device Cpu, or Auto to fall back to the CPU.",
            DeviceSelection.MissingSoftware(ExecutionDevice.TensorRT, ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"], ["libnvinfer.so.10"]));
    }

    [Fact]
    public void Appending_cuda_without_its_libraries_never_crashes()
    {
        // Why DeviceSelection checks first: the CPU build lacks the CUDA entry point entirely, and the GPU build's provider
        // fails inside ONNX Runtime with a message about a shared object and no advice.
        using var options = new SessionOptions();
        if (OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
            Assert.Throws<OnnxRuntimeException>(() => options.AppendExecutionProvider_CUDA(0));
        else
            Assert.Throws<EntryPointNotFoundException>(() => options.AppendExecutionProvider_CUDA(0));
    }
}

/// <summary>The errors a GPU device gives on a Linux machine without CUDA (every test machine here), written out in full.</summary>
internal static class NoGpuHere
{
    /// <summary>The error for <paramref name="device"/>: the CPU build's clause only where the CPU build of ONNX Runtime is loaded.</summary>
    public static string Message(string device)
    {
        Assert.True(OperatingSystem.IsLinux() && !NativeLibrary.TryLoad("libcudart.so.13", out _), "These messages are those of a Linux machine without CUDA 13.");
        bool tensorRt = device.StartsWith("TensorRT", StringComparison.Ordinal);
        var providers = OrtEnv.Instance().GetAvailableProviders();
        bool cpuBuild = !providers.Contains(tensorRt ? "TensorrtExecutionProvider" : "CUDAExecutionProvider");
        return $"The device {device} cannot be used: " +
               (cpuBuild ? $"this SleapPS carries the CPU build of ONNX Runtime (its providers: {string.Join(", ", providers)}); install the GPU flavour of SleapPS (see the README); and " : "") +
               (tensorRt ? "libcudart.so.13, libcublas.so.13, libcublasLt.so.13, libcudnn.so.9 and libnvinfer.so.10" : "libcudart.so.13, libcublas.so.13, libcublasLt.so.13 and libcudnn.so.9") +
               " cannot be loaded. Install an NVIDIA driver for CUDA 13, the CUDA 13 toolkit (or its runtime and cuBLAS), and cuDNN 9 for CUDA 13" +
               (tensorRt ? ", and TensorRT 10 for CUDA 13" : "") +
               ", and put their library folders on LD_LIBRARY_PATH (the CUDA libraries of a PyTorch installation built for CUDA 13 serve as well). " +
               "Until then use -Device Cpu, or Auto to fall back to the CPU.";
    }
}
