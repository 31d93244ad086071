using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Where ONNX Runtime's TensorRT provider keeps the engines it builds, and the provider options that say so
/// (docs/design/gpu.md §7). Building an engine takes seconds to minutes; a cached one loads in a moment. Engines live in
/// the model cache folder under tensorrt/&lt;key&gt;/, one folder per key, so an engine is only ever found by a session
/// that would build the same one: the key covers the model's bytes, the input shape profile, the precision, the GPU
/// (name and compute capability) and the TensorRT and ONNX Runtime versions. The timing cache (TensorRT's measured
/// kernel timings, reusable across models) is shared by every model on the same GPU and TensorRT version.
/// </summary>
public static class TensorRtEngineCache
{
    /// <summary>Bumped when the key's recipe changes, so that old folders are never mistaken for new ones.</summary>
    private const string KeyVersion = "sleapps-tensorrt-1";

    /// <summary>The engine cache key: lowercase hex SHA-256 of a canonical text of everything an engine depends on.</summary>
    /// <param name="modelSha256">Hex SHA-256 of the ONNX file the session opens (the float16 conversion for Float16).</param>
    /// <param name="shapes">The shape profile the engine is built for; null leaves the shapes to TensorRT (one folder for every shape).</param>
    public static string KeyOf(string modelSha256, TensorRtShapeProfile? shapes, ModelPrecision precision, GpuIdentity gpu, string onnxRuntimeVersion)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var text = new StringBuilder()
            .Append(KeyVersion).Append('\n')
            .Append("model=").Append(modelSha256.ToLowerInvariant()).Append('\n')
            .Append("shapes=").Append(shapes?.ToString() ?? "dynamic").Append('\n')
            .Append("precision=").Append(precision).Append('\n')
            .Append(GpuPart(gpu))
            .Append("onnxruntime=").Append(onnxRuntimeVersion).Append('\n');
        return Hash(text.ToString());
    }

    /// <summary>The timing cache key: the GPU and the TensorRT version only.</summary>
    public static string TimingKeyOf(GpuIdentity gpu) => Hash(KeyVersion + "\ntiming\n" + GpuPart(gpu));

    /// <summary>Hex SHA-256 of a file's bytes (the model part of <see cref="KeyOf"/>).</summary>
    public static string Sha256OfFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, ex);
        }
    }

    /// <summary>The folder of one engine: &lt;model cache&gt;/tensorrt/&lt;key&gt;.</summary>
    public static string EngineFolder(ModelCache cache, string key) => Path.Combine(cache.Folder, "tensorrt", key);

    /// <summary>The folder of the timing cache shared by the models on one GPU and TensorRT version.</summary>
    public static string TimingFolder(ModelCache cache, GpuIdentity gpu) => Path.Combine(cache.Folder, "tensorrt", "timing-" + TimingKeyOf(gpu));

    /// <summary>
    /// The TensorRT provider options for a session: the engine and timing caches in their folders, FP16 when the precision
    /// asks for it, and the shape profile the engine is built for when one is given (so that one engine serves every batch
    /// up to the largest).
    /// </summary>
    public static Dictionary<string, string> ProviderOptions(ModelCache cache, string key, GpuIdentity gpu, ModelPrecision precision,
        TensorRtShapeProfile? shapes, int deviceId)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = deviceId.ToString(CultureInfo.InvariantCulture),
            ["trt_engine_cache_enable"] = "1",
            ["trt_engine_cache_path"] = EngineFolder(cache, key),
            ["trt_timing_cache_enable"] = "1",
            ["trt_timing_cache_path"] = TimingFolder(cache, gpu),
            ["trt_fp16_enable"] = precision == ModelPrecision.Float16 ? "1" : "0",
        };
        if (shapes is not null)
        {
            options["trt_profile_min_shapes"] = shapes.Min;
            options["trt_profile_opt_shapes"] = shapes.Max;
            options["trt_profile_max_shapes"] = shapes.Max;
        }
        return options;
    }

    /// <summary>The ONNX Runtime version that goes into the key ("1.32.0").</summary>
    public static string OnnxRuntimeVersion() => typeof(InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    private static string GpuPart(GpuIdentity gpu) =>
        $"gpu={gpu.Name}\ncompute={gpu.ComputeCapability}\ntensorrt={gpu.TensorRtVersion}\n";

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}

/// <summary>
/// The input shapes a TensorRT engine is built for: batch 1 to <paramref name="MaxBatch"/> at one height and width.
/// </summary>
/// <param name="InputName">The graph input (e.g. "input").</param>
/// <param name="Dims">The input's dimensions after the batch (e.g. [384, 384, 1] for NHWC).</param>
public sealed record TensorRtShapeProfile(string InputName, int MaxBatch, IReadOnlyList<int> Dims)
{
    /// <summary>The smallest shape, in the provider's "name:1xHxWxC" form.</summary>
    public string Min => Shape(1);

    public string Max => Shape(MaxBatch);

    private string Shape(int batch) => $"{InputName}:{string.Join('x', new[] { batch }.Concat(Dims))}";

    public override string ToString() => $"{Min}..{Max}";
}
