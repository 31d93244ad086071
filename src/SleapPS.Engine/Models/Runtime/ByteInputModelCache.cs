using System.Security.Cryptography;
using System.Text;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Onnx;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Converted graphs with a uint8 input front (docs/design/gpu.md §3), wrapped once per machine into the model cache
/// folder as <c>&lt;key&gt;.byteinput.onnx</c>. The key is the SHA-256 of the float-input graph's bytes (a converted Keras
/// model, a sleap-nn graph, or their float16 conversion), the front's arithmetic and <see cref="ByteInputFront.Version"/>,
/// so the wrapped graph never shares an entry with the graph it wraps.
/// </summary>
public static class ByteInputModelCache
{
    /// <summary>
    /// The file to open: <paramref name="onnxPath"/> itself unless the byte front is wanted (a GPU device, or
    /// <see cref="ModelLoadOptions.ForceByteInput"/>) and the model's pre-processing allows it (<see cref="ByteInputFront.For"/>);
    /// then its wrapping, made now unless the cache has it.
    /// </summary>
    public static string PathFor(string onnxPath, TrainingConfig config, int modelChannels, ExecutionDevice device, ModelLoadOptions options)
    {
        if (!(options.ForceByteInput || device.IsGpu) || ByteInputFront.For(config, modelChannels) is not { } arithmetic)
            return onnxPath;
        byte[] floatModel = File.ReadAllBytes(onnxPath);
        var cache = new ModelCache(options.CacheFolder);
        string path = Path.Combine(cache.Folder, KeyOf(floatModel, arithmetic) + ".byteinput.onnx");
        if (File.Exists(path))
        {
            options.Report($"Byte-input cache hit for '{onnxPath}': '{path}'.");
            return path;
        }
        byte[] wrapped = ByteInputFront.Wrap(floatModel, arithmetic, onnxPath);
        Directory.CreateDirectory(cache.Folder);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, wrapped));
        options.Report($"Gave '{onnxPath}' a uint8 input ({arithmetic}); cached as '{path}'.");
        return path;
    }

    /// <summary>Lowercase hex SHA-256 of the float-input graph's bytes, the front's arithmetic and version.</summary>
    public static string KeyOf(byte[] floatModel, ByteFrontArithmetic arithmetic)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(floatModel);
        hash.AppendData(Encoding.UTF8.GetBytes($"sleapps-byte-input-{ByteInputFront.Version}-{arithmetic}"));
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
