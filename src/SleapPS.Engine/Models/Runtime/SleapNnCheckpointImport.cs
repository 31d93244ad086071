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
        var opened = CachedConversion.Open(checkpointPath, ModelCache.KeyOfSleapNn(checkpointPath, configPath), config, device, options,
            new CachedConversion.Conversion("graph", "building it again", $"Built the ONNX graph of '{checkpointPath}'", () => Build(nnConfig, checkpointPath, options)));
        // The graph takes any height and width that are multiples of the max stride; there is no trained size to record.
        return new SleapModel(config, ModelFormat.SleapNnCheckpoint, checkpointPath, opened.Session,
            new ModelInputShape(null, null, nnConfig.Backbone.InChannels, config.MaxStride))
        {
            LoadedFromCache = opened.FromCache,
            ConversionTime = opened.ConversionTime,
            SleapNnConfig = nnConfig,
        };
    }

    private static (byte[] Onnx, CachedModelNote Note) Build(SleapNnConfig nnConfig, string checkpointPath, ModelLoadOptions options)
    {
        options.Progress?.Invoke(new ModelLoadProgress(checkpointPath, 0, 1, "Reading the sleap-nn checkpoint"));
        StateDict weights = CheckpointReader.Read(checkpointPath);
        options.Progress?.Invoke(new ModelLoadProgress(checkpointPath, 0, 1, "Building the ONNX graph"));
        string name = Path.GetFileName(Path.GetDirectoryName(checkpointPath)) is { Length: > 0 } folder ? folder : "sleap_nn_model";
        byte[] onnx = SleapNnGraphBuilder.Build(nnConfig.Backbone, nnConfig.Heads, weights, name);
        return (onnx, new CachedModelNote(ModelCache.SleapNnConverterVersion, checkpointPath, null, null, nnConfig.Backbone.InChannels));
    }
}
