using System.Diagnostics;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// The cache-or-convert flow of the loaders that turn a model file into an ONNX graph, Keras' best_model.h5
/// (<see cref="KerasImport"/>) and sleap-nn's best.ckpt (<see cref="SleapNnCheckpointImport"/>), docs/design/models.md §8:
/// the cached graph of this exact source and converter when there is one (a corrupt one, that does not open or breaks
/// the contract, is removed and converted again); else the source converted, cached and opened (a graph ONNX Runtime
/// refuses to open is removed, so that it is not found next time). The session opens the graph the options ask for
/// and is checked against the training config.
/// </summary>
internal static class CachedConversion
{
    /// <summary>How a loader's log names its conversion, and the conversion itself.</summary>
    /// <param name="Graph">What a cache entry is, in "The cached {Graph} '…' of '…' is corrupt": "conversion", "graph".</param>
    /// <param name="Again">What happens to a corrupt entry: "converting again".</param>
    /// <param name="Done">The source converted, before " in 1.23 s; cached as '…'.": "Converted 'best_model.h5' to ONNX".</param>
    /// <param name="Convert">Reads and converts the source (reporting its own progress): the graph and the cache note.</param>
    public sealed record Conversion(string Graph, string Again, string Done, Func<(byte[] Onnx, CachedModelNote Note)> Convert);

    /// <summary>An open, checked session on a converted graph, with the note of its cache entry.</summary>
    public sealed record Opened(ModelSession Session, CachedModelNote Note, bool FromCache, TimeSpan? ConversionTime);

    public static Opened Open(string sourcePath, string key, TrainingConfig config, ExecutionDevice device, ModelLoadOptions options, Conversion conversion)
    {
        var cache = new ModelCache(options.CacheFolder);
        if (cache.TryGet(key) is { } cached)
        {
            try
            {
                var session = OpenSession(cached, config, device, options);
                options.Report($"Model cache hit for '{sourcePath}': '{cached.OnnxPath}'.");
                return new Opened(Checked(session, config), cached.Note, FromCache: true, ConversionTime: null);
            }
            catch (SleapException ex) when (ex.Kind == SleapErrorKind.InvalidData)
            {
                options.Report($"The cached {conversion.Graph} '{cached.OnnxPath}' of '{sourcePath}' is corrupt; {conversion.Again}. ({ex.Message})");
                cache.Remove(key);
            }
        }

        var clock = Stopwatch.StartNew();
        var (onnx, note) = conversion.Convert();
        var conversionTime = clock.Elapsed;
        var entry = cache.Put(key, onnx, note);
        options.Report($"{conversion.Done} in {conversionTime.TotalSeconds:0.00} s; cached as '{entry.OnnxPath}'.");
        ModelSession opened;
        try
        {
            opened = OpenSession(entry, config, device, options);
        }
        catch
        {
            // A graph ONNX Runtime refuses must not stay behind to be found next time.
            cache.Remove(key);
            throw;
        }
        return new Opened(Checked(opened, config), entry.Note, FromCache: false, conversionTime);
    }

    /// <summary>A session on the graph that runs: the float16 conversion when asked for, then the uint8 front where it applies (docs/design/gpu.md §3, §5).</summary>
    private static ModelSession OpenSession(CachedModel entry, TrainingConfig config, ExecutionDevice device, ModelLoadOptions options)
    {
        string path = ByteInputModelCache.PathFor(Float16ModelCache.PathFor(entry.OnnxPath, options.Precision, options), config, entry.Note.InputChannels, device, options);
        return ModelSession.Open(path, device, precision: options.Precision, cacheFolder: options.CacheFolder);
    }

    /// <summary>The session, once it meets the contract of a converted graph; disposed when it does not.</summary>
    private static ModelSession Checked(ModelSession session, TrainingConfig config)
    {
        try
        {
            ConvertedGraphContract.Check(session, config, session.OnnxPath);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return session;
    }
}
