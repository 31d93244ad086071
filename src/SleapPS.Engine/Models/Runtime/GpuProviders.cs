using Microsoft.ML.OnnxRuntime;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Adds ONNX Runtime's CUDA or TensorRT execution provider for one GPU to session options (docs/design/gpu.md §3). The
/// device has been checked by <see cref="DeviceSelection"/>; a provider that still cannot start becomes NotSupported
/// with ONNX Runtime's own words, never a crash.
/// </summary>
internal static class GpuProviders
{
    /// <summary>Appends the providers of <paramref name="device"/> (TensorRT, then CUDA for the nodes TensorRT leaves).</summary>
    public static void Append(SessionOptions options, ExecutionDevice device, ModelPrecision precision)
    {
        string gpu = device.Gpu.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            if (device.Kind == DeviceKind.TensorRT)
            {
                using var tensorRt = new OrtTensorRTProviderOptions();
                tensorRt.UpdateOptions(new Dictionary<string, string>
                {
                    ["device_id"] = gpu,
                    ["trt_fp16_enable"] = precision == ModelPrecision.Float16 ? "1" : "0",
                });
                options.AppendExecutionProvider_Tensorrt(tensorRt);
            }
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string>
            {
                ["device_id"] = gpu,
                // Copies run on the compute stream, so an upload is ordered before the run that reads it.
                ["do_copy_in_default_stream"] = "1",
                // SLEAP's networks are plain convolutions at a few fixed shapes: the search pays for itself after one batch.
                ["cudnn_conv_algo_search"] = "EXHAUSTIVE",
            });
            options.AppendExecutionProvider_CUDA(cuda);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The device {device} cannot be used: ONNX Runtime's {device.Kind} provider could not start: {ex.Message} " +
                GpuLibraries.InstallHint(device.Kind), null, ex);
        }
    }
}
