using System.Diagnostics;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Keras;
using SleapPS.Engine.Models.Onnx;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Loads a SLEAP model folder: best_model.h5 converted to ONNX (or read from the cache when this exact
/// file was converted before by this converter version), checked against its training config.
/// </summary>
internal static class KerasImport
{
    public static SleapModel Load(string configPath, string kerasPath, ExecutionDevice device, ModelLoadOptions options)
    {
        var config = TrainingConfig.Load(configPath);
        var cache = new ModelCache(options.CacheFolder);
        string key = ModelCache.KeyOf(kerasPath);

        if (cache.TryGet(key) is { } cached)
        {
            try
            {
                var session = ModelSession.Open(SessionPath(cached.OnnxPath, config, cached.Note.InputChannels, device, options), device, precision: options.Precision, cacheFolder: options.CacheFolder);
                options.Report($"Model cache hit for '{kerasPath}': '{cached.OnnxPath}'.");
                return Finish(config, kerasPath, session, cached.Note, fromCache: true, conversionTime: null);
            }
            catch (SleapException ex) when (ex.Kind == SleapErrorKind.InvalidData)
            {
                options.Report($"The cached conversion '{cached.OnnxPath}' of '{kerasPath}' is corrupt; converting again. ({ex.Message})");
                cache.Remove(key);
            }
        }

        options.Progress?.Invoke(new ModelLoadProgress(kerasPath, 0, 1, "Reading the Keras model"));
        var clock = Stopwatch.StartNew();
        var keras = KerasModel.Read(kerasPath);
        options.Progress?.Invoke(new ModelLoadProgress(kerasPath, 0, 1, "Converting to ONNX"));
        byte[] onnx = KerasOnnxConverter.Convert(keras);
        var conversionTime = clock.Elapsed;
        var entry = cache.Put(key, onnx, new CachedModelNote(ModelCache.ConverterVersion, kerasPath, keras.InputShape[0], keras.InputShape[1], keras.InputChannels));
        options.Report($"Converted '{kerasPath}' to ONNX in {conversionTime.TotalSeconds:0.00} s; cached as '{entry.OnnxPath}'.");
        return Finish(config, kerasPath, ModelSession.Open(SessionPath(entry.OnnxPath, config, entry.Note.InputChannels, device, options), device, precision: options.Precision, cacheFolder: options.CacheFolder), entry.Note, fromCache: false, conversionTime);
    }

    /// <summary>The graph the session opens: the float16 conversion when asked for, then the uint8 front where it applies (docs/design/gpu.md §3, §5).</summary>
    internal static string SessionPath(string onnxPath, TrainingConfig config, int modelChannels, ExecutionDevice device, ModelLoadOptions options) =>
        ByteInputModelCache.PathFor(Float16ModelCache.PathFor(onnxPath, options.Precision, options), config, modelChannels, device, options);

    private static SleapModel Finish(TrainingConfig config, string kerasPath, ModelSession session, CachedModelNote note, bool fromCache, TimeSpan? conversionTime)
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
        return new SleapModel(config, ModelFormat.KerasHdf5, kerasPath, session,
            new ModelInputShape(note.InputHeight, note.InputWidth, note.InputChannels, config.MaxStride))
        {
            LoadedFromCache = fromCache,
            ConversionTime = conversionTime,
        };
    }
}
