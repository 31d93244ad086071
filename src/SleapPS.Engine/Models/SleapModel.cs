using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Engine.Models.SleapNn.Config;

namespace SleapPS.Engine.Models;

/// <summary>
/// One trained model, ready to run: its training config, where it came from, its ONNX file and its
/// ONNX Runtime session.
/// </summary>
public sealed class SleapModel : IDisposable
{
    internal SleapModel(TrainingConfig config, ModelFormat format, string sourcePath, ModelSession session, ModelInputShape inputShape)
    {
        Config = config;
        Format = format;
        SourcePath = sourcePath;
        Session = session;
        InputShape = inputShape;
    }

    /// <summary>
    /// Loads a model from a SLEAP model folder or its training_config.json (best_model.h5 is converted to ONNX,
    /// once: later loads read the cache), from a sleap-nn model folder or its best.ckpt or training_config.yaml (the
    /// graph is built from the checkpoint's weights, once: later loads read the cache), from an .onnx file beside a
    /// training_config.json (a model the user converted), or from a sleap-nn export (its folder, model.onnx or
    /// export_metadata.json).
    /// </summary>
    /// <exception cref="SleapException">
    /// NotFound naming a missing folder or file (a best.ckpt without its training_config.yaml among them);
    /// InvalidData for a corrupt or truncated best_model.h5 or best.ckpt, a malformed config, a checkpoint lacking a
    /// weight its config implies, or an ONNX graph that does not match its config; NotSupported for a layer, backbone
    /// or head SleapPS does not handle or a device that cannot be used.
    /// </exception>
    public static SleapModel Load(string path, ModelLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var device = DeviceSelection.Resolve(options.Device, options.Log);
        var model = ModelLocator.Locate(Path.GetFullPath(path)) switch
        {
            ModelLocation.Keras keras => KerasImport.Load(keras.ConfigPath, keras.KerasPath, device, options),
            ModelLocation.Onnx onnx => LoadOnnx(onnx.OnnxPath, device, options),
            ModelLocation.SleapNnCheckpoint checkpoint => SleapNnCheckpointImport.Load(checkpoint.ConfigPath, checkpoint.CheckpointPath, device, options),
            var other => throw new UnreachableException(other.ToString()),
        };
        model.LoadTime = clock.Elapsed;
        return model;
    }

    /// <summary>The training config (for a sleap-nn export, built from its metadata).</summary>
    public TrainingConfig Config { get; }

    public ModelType Type => Config.ModelType;

    public ModelFormat Format { get; }

    /// <summary>The file the model was read from: best_model.h5, best.ckpt, or the .onnx file.</summary>
    public string SourcePath { get; }

    public string ModelFolder => Path.GetDirectoryName(SourcePath) ?? "";

    /// <summary>The ONNX file that runs: the cached conversion of best_model.h5 or best.ckpt, or the .onnx given.</summary>
    public string OnnxPath => Session.OnnxPath;

    public ModelSession Session { get; }

    /// <summary>The device the session runs on (Cpu or Cuda).</summary>
    public ExecutionDevice Device => Session.Device;

    public Skeleton Skeleton => Config.Skeleton;

    public ModelInputShape InputShape { get; }

    /// <summary>True when the converted model came from the cache (the Keras file or checkpoint was not converted this time).</summary>
    public bool LoadedFromCache { get; internal init; }

    /// <summary>How long converting the Keras file (or reading the checkpoint and building its graph) took; null when nothing was converted.</summary>
    public TimeSpan? ConversionTime { get; internal init; }

    /// <summary>How long the whole load took (hashing, converting or reading the cache, starting the session).</summary>
    public TimeSpan LoadTime { get; private set; }

    /// <summary>The export's metadata, for sleap-nn exports.</summary>
    public SleapNnMetadata? SleapNn { get; internal init; }

    /// <summary>The training_config.yaml as read, for sleap-nn checkpoints (<see cref="ModelFormat.SleapNnCheckpoint"/>).</summary>
    public SleapNnConfig? SleapNnConfig { get; internal init; }

    public void Dispose() => Session.Dispose();

    public override string ToString() => $"{Config.ModelTypeName} ({Format}) '{SourcePath}'";

    private static SleapModel LoadOnnx(string onnxPath, ExecutionDevice device, ModelLoadOptions options)
    {
        var session = ModelSession.Open(Float16ModelCache.PathFor(onnxPath, options.Precision, options), device, precision: options.Precision, cacheFolder: options.CacheFolder);
        try
        {
            var metadata = SleapNnExport.FindMetadata(onnxPath, session);
            if (metadata is not null)
            {
                var (described, inputShape) = SleapNnExport.Describe(metadata, onnxPath, session);
                options.Report($"Loaded the sleap-nn export '{onnxPath}' ({metadata.ModelType}, sleap-nn {metadata.SleapNnVersion}, traced at {inputShape.Height}x{inputShape.Width}).");
                return new SleapModel(described, ModelFormat.SleapNnOnnx, onnxPath, session, inputShape) { SleapNn = metadata };
            }

            string configPath = Path.Combine(Path.GetDirectoryName(onnxPath)!, TrainingConfig.FileName);
            if (!File.Exists(configPath))
                throw new SleapException(SleapErrorKind.NotFound,
                    $"'{onnxPath}' has neither a {TrainingConfig.FileName} beside it (a SLEAP model converted to ONNX) nor sleap-nn's {SleapNnMetadata.FileName} " +
                    "(beside it or embedded). Put the model's training_config.json beside the .onnx file, or give the sleap-nn export folder.", configPath);
            var config = TrainingConfig.Load(configPath);
            ConvertedGraphContract.Check(session, config, onnxPath);
            options.Report($"Loaded the converted model '{onnxPath}' ({config.ModelTypeName}).");
            var shape = session.Inputs[0].Shape;
            return new SleapModel(config, ModelFormat.Onnx, onnxPath, session,
                new ModelInputShape(Fixed(shape[1]), Fixed(shape[2]), (int)shape[3], config.MaxStride));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static int? Fixed(long dimension) => dimension > 0 ? (int)dimension : null;
}
