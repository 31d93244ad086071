using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models.Onnx;
using SleapPS.Engine.Models.SleapNn.Networks;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Converted models on disk, so a model is converted once per machine. An entry is keyed by the
/// SHA-256 of the Keras file's bytes and <see cref="ConverterVersion"/>: a retrained model or a new
/// converter gets a new entry. Each entry is the ONNX file plus a small JSON note of what the
/// Keras file said about its input (so a cached load needs nothing from the Keras file but its hash).
/// A sleap-nn model's graph is keyed by its best.ckpt and training_config.yaml and <see cref="SleapNnConverterVersion"/>
/// (docs/design/sleap-nn-config.md §8).
/// </summary>
public sealed class ModelCache
{
    /// <summary>Names the converter's output format; it changes with <see cref="KerasOnnxConverter.ConverterVersion"/>, which the converter bumps whenever its output for the same Keras file changes.</summary>
    public const string ConverterVersion = "sleapps-keras-onnx-" + KerasOnnxConverter.ConverterVersion;

    /// <summary>Names the sleap-nn graph builder's output format; it changes with <see cref="SleapNnGraphBuilder.ConverterVersion"/>.</summary>
    public const string SleapNnConverterVersion = "sleapps-sleapnn-onnx-" + SleapNnGraphBuilder.ConverterVersion;

    /// <summary>The environment variable that moves the default cache folder.</summary>
    public const string FolderVariable = "SLEAPPS_MODEL_CACHE";

    public ModelCache(string? folder = null) => Folder = Path.GetFullPath(folder ?? DefaultFolder);

    public string Folder { get; }

    /// <summary>SLEAPPS_MODEL_CACHE when set, else the per-user LocalApplicationData/SleapPS/model-cache.</summary>
    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
                "SleapPS", "model-cache");

    /// <summary>The entry key of a Keras file: lowercase hex SHA-256 of its bytes followed by the converter version.</summary>
    public static string KeyOf(string kerasPath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendFile(hash, kerasPath);
        hash.AppendData(Encoding.UTF8.GetBytes(ConverterVersion));
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>
    /// The entry key of a sleap-nn model: SHA-256 of each file's length and bytes (the checkpoint, then the config,
    /// which decides the graph as much as the weights do) followed by <see cref="SleapNnConverterVersion"/>.
    /// </summary>
    public static string KeyOfSleapNn(string checkpointPath, string configPath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string path in new[] { checkpointPath, configPath })
        {
            // The length first, so that no two pairs of files hash the same bytes.
            hash.AppendData(BitConverter.GetBytes(FileLength(path)));
            AppendFile(hash, path);
        }
        hash.AppendData(Encoding.UTF8.GetBytes(SleapNnConverterVersion));
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static long FileLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, ex);
        }
    }

    private static void AppendFile(IncrementalHash hash, string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = stream.Read(buffer)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{path}': {ex.Message}", path, ex);
        }
    }

    public string OnnxPathOf(string key) => Path.Combine(Folder, key + ".onnx");

    private string NotePathOf(string key) => Path.Combine(Folder, key + ".json");

    /// <summary>The entry for a key when both its files are there and its note reads; null otherwise.</summary>
    public CachedModel? TryGet(string key)
    {
        string onnxPath = OnnxPathOf(key), notePath = NotePathOf(key);
        if (!File.Exists(onnxPath) || !File.Exists(notePath))
            return null;
        try
        {
            var note = JsonSerializer.Deserialize<CachedModelNote>(File.ReadAllText(notePath));
            return note is null ? null : new CachedModel(onnxPath, note);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes an entry (each file atomically, the ONNX file first) and returns it.</summary>
    public CachedModel Put(string key, byte[] onnx, CachedModelNote note)
    {
        try
        {
            Directory.CreateDirectory(Folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.WriteError,
                $"Cannot create the model cache folder '{Folder}': {ex.Message} Choose another folder (CacheFolder, or the {FolderVariable} environment variable).", Folder, ex);
        }
        string onnxPath = OnnxPathOf(key);
        AtomicFile.Write(onnxPath, temp => File.WriteAllBytes(temp, onnx));
        AtomicFile.Write(NotePathOf(key), temp => File.WriteAllText(temp, JsonSerializer.Serialize(note)));
        return new CachedModel(onnxPath, note);
    }

    /// <summary>Deletes an entry (a corrupt one, before it is rebuilt).</summary>
    public void Remove(string key)
    {
        File.Delete(OnnxPathOf(key));
        File.Delete(NotePathOf(key));
    }
}

/// <summary>A cache entry: the converted ONNX file and what the Keras file said about its input.</summary>
public sealed record CachedModel(string OnnxPath, CachedModelNote Note);

/// <summary>What a cache entry remembers of its Keras file.</summary>
/// <param name="InputHeight">The Keras input height the model was trained at (null when the file leaves it open).</param>
public sealed record CachedModelNote(string ConverterVersion, string SourcePath, int? InputHeight, int? InputWidth, int InputChannels);
