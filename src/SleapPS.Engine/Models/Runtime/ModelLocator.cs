using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn.Config;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>Where a model's files are.</summary>
internal abstract record ModelLocation
{
    /// <summary>A SLEAP model folder: its training config and best_model.h5.</summary>
    public sealed record Keras(string ConfigPath, string KerasPath) : ModelLocation;

    /// <summary>An .onnx file (a sleap-nn export, or a converted SLEAP model beside its training config).</summary>
    public sealed record Onnx(string OnnxPath) : ModelLocation;

    /// <summary>A sleap-nn model folder: its training_config.yaml and best.ckpt (docs/design/sleap-nn-config.md §8).</summary>
    public sealed record SleapNnCheckpoint(string ConfigPath, string CheckpointPath) : ModelLocation;
}

/// <summary>Finds a model's files from the path a user gave, or says exactly which file is missing.</summary>
internal static class ModelLocator
{
    public const string KerasFileName = "best_model.h5";

    /// <summary>The weights file sleap-nn writes into a model folder.</summary>
    public const string CheckpointFileName = "best.ckpt";

    private const string Kinds =
        $"a SLEAP model folder (training_config.json + {KerasFileName}), a sleap-nn model folder ({SleapNnConfig.FileName} + {CheckpointFileName}), " +
        "the path of either's config or weights file, or a model.onnx";

    public static ModelLocation Locate(string fullPath)
    {
        if (Directory.Exists(fullPath))
            return InFolder(fullPath);
        if (!File.Exists(fullPath))
            throw new SleapException(SleapErrorKind.NotFound, $"Cannot find the model '{fullPath}'. Give {Kinds}.", fullPath);

        string folder = Path.GetDirectoryName(fullPath)!;
        string name = Path.GetFileName(fullPath);
        if (name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            return new ModelLocation.Onnx(fullPath);
        if (name.Equals(Runtime.SleapNnMetadata.FileName, StringComparison.OrdinalIgnoreCase))
            return new ModelLocation.Onnx(Require(Path.Combine(folder, SleapNnExport.ModelFileName), "the sleap-nn export folder", folder));
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return new ModelLocation.Keras(fullPath, Require(Path.Combine(folder, KerasFileName), "the model folder", folder));
        if (name.EndsWith(".h5", StringComparison.OrdinalIgnoreCase))
            return new ModelLocation.Keras(Require(Path.Combine(folder, TrainingConfig.FileName), "the model folder", folder), fullPath);
        if (name.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase))
            return new ModelLocation.SleapNnCheckpoint(ConfigBeside(fullPath, folder), fullPath);
        if (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            return SleapNnByConfig(fullPath, folder);
        throw new SleapException(SleapErrorKind.InvalidArgument, $"'{fullPath}' is not a model: give {Kinds}.", fullPath);
    }

    /// <summary>A sleap-nn config path means its model folder: the checkpoint beside it, or the export it came with.</summary>
    private static ModelLocation SleapNnByConfig(string configPath, string folder)
    {
        string checkpoint = Path.Combine(folder, CheckpointFileName);
        // Like SleapNnConfig.Load's folder rule: initial_config.yaml (settings before training) stands for the trained config beside it.
        string trained = Path.Combine(folder, SleapNnConfig.FileName);
        if (Path.GetFileName(configPath).StartsWith("initial_config", StringComparison.OrdinalIgnoreCase) && File.Exists(trained))
            configPath = trained;
        if (File.Exists(checkpoint))
            return new ModelLocation.SleapNnCheckpoint(configPath, checkpoint);
        // The copy of the training config sleap-nn's exporter leaves beside an export.
        string onnx = Path.Combine(folder, SleapNnExport.ModelFileName);
        if (File.Exists(onnx) && File.Exists(Path.Combine(folder, Runtime.SleapNnMetadata.FileName)))
            return new ModelLocation.Onnx(onnx);
        throw new SleapException(SleapErrorKind.NotFound,
            $"The model folder '{folder}' has {Path.GetFileName(configPath)} but no {CheckpointFileName} (the trained weights). Copy the whole model folder from where sleap-nn trained it.",
            checkpoint);
    }

    /// <summary>The training_config.yaml a checkpoint needs: sleap-nn keeps the skeleton, backbone and heads there, not in best.ckpt.</summary>
    private static string ConfigBeside(string checkpoint, string folder)
    {
        string config = Path.Combine(folder, SleapNnConfig.FileName);
        return File.Exists(config) ? config : throw new SleapException(SleapErrorKind.NotFound,
            $"The checkpoint '{checkpoint}' has no {SleapNnConfig.FileName} beside it, and SleapPS needs it: sleap-nn keeps the model's skeleton, backbone and heads there, not in the checkpoint. " +
            $"Copy the whole model folder from where sleap-nn trained it ({CheckpointFileName} and {SleapNnConfig.FileName} together).",
            config);
    }

    private static ModelLocation InFolder(string folder)
    {
        string config = Path.Combine(folder, TrainingConfig.FileName);
        string keras = Path.Combine(folder, KerasFileName);
        string yaml = Path.Combine(folder, SleapNnConfig.FileName);
        string checkpoint = Path.Combine(folder, CheckpointFileName);
        string onnx = Path.Combine(folder, SleapNnExport.ModelFileName);
        if (File.Exists(config) && File.Exists(keras))
            return new ModelLocation.Keras(config, keras);
        if (File.Exists(yaml) && File.Exists(checkpoint))
            return new ModelLocation.SleapNnCheckpoint(yaml, checkpoint);
        if (File.Exists(onnx) && (File.Exists(Path.Combine(folder, Runtime.SleapNnMetadata.FileName)) || File.Exists(config)))
            return new ModelLocation.Onnx(onnx);
        if (File.Exists(config))
            throw new SleapException(SleapErrorKind.NotFound,
                $"The model folder '{folder}' has {TrainingConfig.FileName} but no {KerasFileName} (the trained weights). Copy the whole model folder from where it was trained.", keras);
        if (File.Exists(keras))
            throw new SleapException(SleapErrorKind.NotFound,
                $"The model folder '{folder}' has {KerasFileName} but no {TrainingConfig.FileName}. Copy the whole model folder from where it was trained.", config);
        if (File.Exists(checkpoint))
            throw new SleapException(SleapErrorKind.NotFound,
                $"The model folder '{folder}' has {CheckpointFileName} but no {SleapNnConfig.FileName}, and SleapPS needs it: sleap-nn keeps the model's skeleton, backbone and heads there, not in the checkpoint. " +
                "Copy the whole model folder from where sleap-nn trained it.", yaml);
        if (File.Exists(yaml))
            throw new SleapException(SleapErrorKind.NotFound,
                $"The model folder '{folder}' has {SleapNnConfig.FileName} but no {CheckpointFileName} (the trained weights). Copy the whole model folder from where sleap-nn trained it.", checkpoint);
        throw new SleapException(SleapErrorKind.NotFound,
            $"The folder '{folder}' is not a model: it has neither {TrainingConfig.FileName} and {KerasFileName} (a SLEAP model), " +
            $"{SleapNnConfig.FileName} and {CheckpointFileName} (a sleap-nn model), nor {SleapNnExport.ModelFileName} and {Runtime.SleapNnMetadata.FileName} (a sleap-nn export).", folder);
    }

    private static string Require(string path, string where, string folder) =>
        File.Exists(path) ? path : throw new SleapException(SleapErrorKind.NotFound,
            $"{char.ToUpperInvariant(where[0])}{where[1..]} '{folder}' has no {Path.GetFileName(path)}.", path);
}
