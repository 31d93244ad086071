using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models.Onnx.Float16;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Float16 versions of ONNX models, converted once per machine into the model cache folder (docs/design/gpu.md §5). An
/// entry is keyed by the SHA-256 of the float32 file's bytes and <see cref="Float16Converter.ConverterVersion"/>, so it
/// serves a converted Keras model, a sleap-nn graph and a sleap-nn export alike, and a new float32 graph gets a new entry.
/// </summary>
public static class Float16ModelCache
{
    /// <summary>
    /// The file to open for <paramref name="precision"/>: <paramref name="onnxPath"/> itself for Float32, else its float16
    /// conversion (made now unless the cache has it).
    /// </summary>
    public static string PathFor(string onnxPath, ModelPrecision precision, ModelLoadOptions options)
    {
        if (precision == ModelPrecision.Float32)
            return onnxPath;
        byte[] float32 = ReadModel(onnxPath);
        var cache = new ModelCache(options.CacheFolder);
        string path = Path.Combine(cache.Folder, KeyOf(float32) + ".float16.onnx");
        if (File.Exists(path))
        {
            options.Report($"Float16 cache hit for '{onnxPath}': '{path}'.");
            return path;
        }
        var clock = Stopwatch.StartNew();
        var (converted, summary) = Float16Converter.Convert(float32, onnxPath);
        try
        {
            Directory.CreateDirectory(cache.Folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.WriteError,
                $"Cannot create the model cache folder '{cache.Folder}': {ex.Message} Choose another folder (CacheFolder, or the {ModelCache.FolderVariable} environment variable).",
                cache.Folder, ex);
        }
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, converted));
        options.Report($"Converted '{onnxPath}' to float16 in {clock.Elapsed.TotalSeconds:0.00} s ({summary.HalfNodes} nodes in float16, " +
                       $"{summary.FloatNodes} kept float32, {summary.CastsAdded} casts); cached as '{path}'.");
        return path;
    }

    /// <summary>Lowercase hex SHA-256 of the float32 model's bytes followed by the float16 converter's version.</summary>
    public static string KeyOf(byte[] float32Model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(float32Model);
        hash.AppendData(Encoding.UTF8.GetBytes("sleapps-float16-" + Float16Converter.ConverterVersion));
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static byte[] ReadModel(string onnxPath)
    {
        try
        {
            return File.ReadAllBytes(onnxPath);
        }
        catch (FileNotFoundException ex)
        {
            throw new SleapException(SleapErrorKind.NotFound, $"The ONNX model '{onnxPath}' does not exist.", onnxPath, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{onnxPath}': {ex.Message}", onnxPath, ex);
        }
    }
}
