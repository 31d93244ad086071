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
    /// <param name="onnxPath">The graph the session opens: its bytes key TensorRT's engine cache.</param>
    /// <param name="cache">The model cache, beside whose converted models TensorRT keeps its engines.</param>
    public static void Append(SessionOptions options, ExecutionDevice device, ModelPrecision precision, string onnxPath, ModelCache cache)
    {
        string gpu = device.Gpu.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            if (device.Kind == DeviceKind.TensorRT)
            {
                using var tensorRt = new OrtTensorRTProviderOptions();
                tensorRt.UpdateOptions(TensorRtOptions(device, precision, onnxPath, cache));
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

    /// <summary>
    /// TensorRT's options: the device, FP16, and the engine and timing caches in folders keyed by the graph's bytes, the
    /// precision, the GPU and the TensorRT and ONNX Runtime versions (<see cref="TensorRtEngineCache"/>). The shapes are left
    /// to TensorRT's own profile (it rebuilds an engine for a shape outside the cached one), because a session is opened
    /// before the frames, and so the batch's height and width, are known.
    /// </summary>
    private static Dictionary<string, string> TensorRtOptions(ExecutionDevice device, ModelPrecision precision, string onnxPath, ModelCache cache)
    {
        var identity = GpuIdentity.TryQuery(device.Gpu) ?? new GpuIdentity($"GPU {device.Gpu}", "unknown", "");
        string key = TensorRtEngineCache.KeyOf(TensorRtEngineCache.Sha256OfFile(onnxPath), null, precision, identity, TensorRtEngineCache.OnnxRuntimeVersion());
        var options = TensorRtEngineCache.ProviderOptions(cache, key, identity, precision, null, device.Gpu);
        try
        {
            Directory.CreateDirectory(options["trt_engine_cache_path"]);
            Directory.CreateDirectory(options["trt_timing_cache_path"]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.WriteError,
                $"Cannot create TensorRT's engine cache folder under '{cache.Folder}': {ex.Message} Choose another folder (CacheFolder, or the {ModelCache.FolderVariable} environment variable).",
                cache.Folder, ex);
        }
        return options;
    }
}
