using System.Diagnostics;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Engine.Models.SleapNn.Config;
using SleapPS.Engine.Models.SleapNn.Networks;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// Loads a sleap-nn model folder (docs/design/sleap-nn-config.md §8): its training_config.yaml read and checked first,
/// then the ONNX graph from the cache when this checkpoint and config were built before by this builder version, else
/// the weights read from best.ckpt and the graph built and cached. A failure anywhere before the graph is written leaves
/// the cache untouched, and the cache writes each file to a temporary name and moves it into place.
/// </summary>
internal static class SleapNnCheckpointImport
{
    public static SleapModel Load(string configPath, string checkpointPath, ExecutionDevice device, ModelLoadOptions options)
    {
        // The config first: a config SleapPS cannot run fails before the (larger) checkpoint is read.
        var nnConfig = SleapNnConfig.Load(configPath);
        var config = nnConfig.ToTrainingConfig();
        var cache = new ModelCache(options.CacheFolder);
        string key = ModelCache.KeyOfSleapNn(checkpointPath, configPath);

        if (cache.TryGet(key) is { } cached)
        {
            try
            {
                var session = ModelSession.Open(KerasImport.SessionPath(cached.OnnxPath, config, nnConfig.Backbone.InChannels, device, options), device, precision: options.Precision, cacheFolder: options.CacheFolder);
                options.Report($"Model cache hit for '{checkpointPath}': '{cached.OnnxPath}'.");
                return Finish(nnConfig, config, checkpointPath, session, fromCache: true, buildTime: null);
            }
            catch (SleapException ex) when (ex.Kind == SleapErrorKind.InvalidData)
            {
                options.Report($"The cached graph '{cached.OnnxPath}' of '{checkpointPath}' is corrupt; building it again. ({ex.Message})");
                cache.Remove(key);
            }
        }

        options.Progress?.Invoke(new ModelLoadProgress(checkpointPath, 0, 1, "Reading the sleap-nn checkpoint"));
        var clock = Stopwatch.StartNew();
        StateDict weights = CheckpointReader.Read(checkpointPath);
        options.Progress?.Invoke(new ModelLoadProgress(checkpointPath, 0, 1, "Building the ONNX graph"));
        string name = Path.GetFileName(Path.GetDirectoryName(checkpointPath)) is { Length: > 0 } folder ? folder : "sleap_nn_model";
        byte[] onnx = SleapNnGraphBuilder.Build(nnConfig.Backbone, nnConfig.Heads, weights, name);
        var buildTime = clock.Elapsed;

        var entry = cache.Put(key, onnx, new CachedModelNote(ModelCache.SleapNnConverterVersion, checkpointPath, null, null, nnConfig.Backbone.InChannels));
        options.Report($"Built the ONNX graph of '{checkpointPath}' in {buildTime.TotalSeconds:0.00} s; cached as '{entry.OnnxPath}'.");
        ModelSession opened;
        try
        {
            opened = ModelSession.Open(KerasImport.SessionPath(entry.OnnxPath, config, nnConfig.Backbone.InChannels, device, options), device, precision: options.Precision, cacheFolder: options.CacheFolder);
        }
        catch
        {
            // A graph ONNX Runtime refuses must not stay behind to be found next time.
            cache.Remove(key);
            throw;
        }
        return Finish(nnConfig, config, checkpointPath, opened, fromCache: false, buildTime);
    }

    private static SleapModel Finish(SleapNnConfig nnConfig, Config.TrainingConfig config, string checkpointPath, ModelSession session, bool fromCache, TimeSpan? buildTime)
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
        // The graph takes any height and width that are multiples of the max stride; there is no trained size to record.
        return new SleapModel(config, ModelFormat.SleapNnCheckpoint, checkpointPath, session,
            new ModelInputShape(null, null, nnConfig.Backbone.InChannels, config.MaxStride))
        {
            LoadedFromCache = fromCache,
            ConversionTime = buildTime,
            SleapNnConfig = nnConfig,
        };
    }
}
