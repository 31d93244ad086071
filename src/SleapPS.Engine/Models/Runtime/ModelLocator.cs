using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>Where a model's files are.</summary>
internal abstract record ModelLocation
{
    /// <summary>A SLEAP model folder: its training config and best_model.h5.</summary>
    public sealed record Keras(string ConfigPath, string KerasPath) : ModelLocation;

    /// <summary>An .onnx file (a sleap-nn export, or a converted SLEAP model beside its training config).</summary>
    public sealed record Onnx(string OnnxPath) : ModelLocation;
}

/// <summary>Finds a model's files from the path a user gave, or says exactly which file is missing.</summary>
internal static class ModelLocator
{
    public const string KerasFileName = "best_model.h5";

    public static ModelLocation Locate(string fullPath)
    {
        if (Directory.Exists(fullPath))
            return InFolder(fullPath);
        if (!File.Exists(fullPath))
            throw new SleapException(SleapErrorKind.NotFound,
                $"Cannot find the model '{fullPath}'. Give a SLEAP model folder (training_config.json + {KerasFileName}), its training_config.json, or a model.onnx.", fullPath);

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
        throw new SleapException(SleapErrorKind.InvalidArgument,
            $"'{fullPath}' is not a model: give a SLEAP model folder, its training_config.json, or an .onnx model.", fullPath);
    }

    private static ModelLocation InFolder(string folder)
    {
        string config = Path.Combine(folder, TrainingConfig.FileName);
        string keras = Path.Combine(folder, KerasFileName);
        string onnx = Path.Combine(folder, SleapNnExport.ModelFileName);
        if (File.Exists(config) && File.Exists(keras))
            return new ModelLocation.Keras(config, keras);
        if (File.Exists(onnx) && (File.Exists(Path.Combine(folder, Runtime.SleapNnMetadata.FileName)) || File.Exists(config)))
            return new ModelLocation.Onnx(onnx);
        if (File.Exists(config))
            throw new SleapException(SleapErrorKind.NotFound,
                $"The model folder '{folder}' has {TrainingConfig.FileName} but no {KerasFileName} (the trained weights). Copy the whole model folder from where it was trained.", keras);
        if (File.Exists(keras))
            throw new SleapException(SleapErrorKind.NotFound,
                $"The model folder '{folder}' has {KerasFileName} but no {TrainingConfig.FileName}. Copy the whole model folder from where it was trained.", config);
        throw new SleapException(SleapErrorKind.NotFound,
            $"The folder '{folder}' is not a model: it has neither {TrainingConfig.FileName} and {KerasFileName} (a SLEAP model) nor " +
            $"{SleapNnExport.ModelFileName} and {Runtime.SleapNnMetadata.FileName} (a sleap-nn export).", folder);
    }

    private static string Require(string path, string where, string folder) =>
        File.Exists(path) ? path : throw new SleapException(SleapErrorKind.NotFound,
            $"{char.ToUpperInvariant(where[0])}{where[1..]} '{folder}' has no {Path.GetFileName(path)}.", path);
}
