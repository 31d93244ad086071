using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// The contract of an ONNX graph converted from a SLEAP Keras model (by SleapPS or by a user): one input
/// "input", float32, NHWC with a fixed channel count; an output for every head of the training config,
/// named as SLEAP names it (found by the head's class name, as SLEAP's find_head does). A graph given a byte-input front
/// (docs/design/gpu.md §3) has the same input, uint8.
/// </summary>
internal static class ConvertedGraphContract
{
    public const string InputName = "input";

    /// <summary>Throws InvalidData, naming the file and what is off, when the graph breaks the contract.</summary>
    public static void Check(ModelSession session, TrainingConfig config, string onnxPath)
    {
        var input = session.Inputs.Count == 1 ? session.Inputs[0] : null;
        if (input is null || input.Name != InputName || input.ElementType is not (TensorElementType.Float or TensorElementType.UInt8) || input.Shape.Count != 4 || input.Shape[3] <= 0)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"'{onnxPath}' has the inputs {string.Join(", ", session.Inputs)}, but a converted SLEAP model has one input 'input' (float32, or uint8 with SleapPS's byte front; [N, H, W, C] with C fixed). " +
                $"Convert the model again, or give its folder (with best_model.h5) so SleapPS converts it.", onnxPath);

        var missing = config.Heads.Where(h => OutputOf(session, h) is null).ToArray();
        if (missing.Length > 0)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"'{onnxPath}' has the outputs {string.Join(", ", session.OutputNames)}, but its training config '{config.SourcePath}' " +
                $"({config.ModelTypeName}) needs an output named after each of its heads: {string.Join(", ", config.Heads.Select(h => h.KerasName))}; " +
                $"none is named like {string.Join(", ", missing.Select(h => h.KerasName))}. Keep the Keras output names when converting, or give the model folder with best_model.h5.",
                onnxPath);
    }

    /// <summary>The output SLEAP would take for a head: the first whose name contains the head's class name.</summary>
    public static string? OutputOf(ModelSession session, HeadConfig head) =>
        session.OutputNames.FirstOrDefault(name => name.Contains(head.KerasName, StringComparison.Ordinal));
}
