using Microsoft.ML.OnnxRuntime.Tensors;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>One input or output of an ONNX graph: its name, element type and shape (-1 for a dynamic axis).</summary>
public sealed record TensorDescription(string Name, TensorElementType ElementType, IReadOnlyList<long> Shape, IReadOnlyList<string> AxisNames)
{
    /// <summary>The shape as text, dynamic axes by name or "?": "[N, H, W, 1]".</summary>
    public string ShapeText => "[" + string.Join(", ", Shape.Select((d, i) => d >= 0 ? d.ToString() : AxisNames.ElementAtOrDefault(i) is { Length: > 0 } n ? n : "?")) + "]";

    public override string ToString() => $"{Name} {ElementType} {ShapeText}";
}
