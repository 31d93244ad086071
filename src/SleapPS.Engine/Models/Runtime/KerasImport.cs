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
        var opened = CachedConversion.Open(kerasPath, ModelCache.KeyOf(kerasPath), config, device, options,
            new CachedConversion.Conversion("conversion", "converting again", $"Converted '{kerasPath}' to ONNX", () => Convert(kerasPath, options)));
        return new SleapModel(config, ModelFormat.KerasHdf5, kerasPath, opened.Session,
            new ModelInputShape(opened.Note.InputHeight, opened.Note.InputWidth, opened.Note.InputChannels, config.MaxStride))
        {
            LoadedFromCache = opened.FromCache,
            ConversionTime = opened.ConversionTime,
        };
    }

    private static (byte[] Onnx, CachedModelNote Note) Convert(string kerasPath, ModelLoadOptions options)
    {
        options.Progress?.Invoke(new ModelLoadProgress(kerasPath, 0, 1, "Reading the Keras model"));
        var keras = KerasModel.Read(kerasPath);
        options.Progress?.Invoke(new ModelLoadProgress(kerasPath, 0, 1, "Converting to ONNX"));
        byte[] onnx = KerasOnnxConverter.Convert(keras);
        return (onnx, new CachedModelNote(ModelCache.ConverterVersion, kerasPath, keras.InputShape[0], keras.InputShape[1], keras.InputChannels));
    }
}
