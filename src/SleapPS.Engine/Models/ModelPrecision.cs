namespace SleapPS.Engine.Models;

/// <summary>The floating-point precision a model's graph runs in (docs/design/gpu.md §5).</summary>
public enum ModelPrecision
{
    /// <summary>The graph as trained (the default; the only precision on the CPU).</summary>
    Float32,
    /// <summary>The graph converted to half precision, for a GPU (and TensorRT's FP16 kernels).</summary>
    Float16,
}
