namespace SleapPS.Engine.Models.Runtime;

/// <summary>Placeholder until the models-convert branch (KerasModel, KerasOnnxConverter) is merged.</summary>
internal static class KerasImport
{
    public static SleapModel Load(string configPath, string kerasPath, ExecutionDevice device, ModelLoadOptions options) =>
        throw new SleapException(SleapErrorKind.NotSupported, "Keras conversion is not merged yet.", kerasPath);
}
