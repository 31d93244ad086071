namespace SleapPS.Engine.Models;

/// <summary>The number format a model's network runs in (docs/design/gpu.md §5).</summary>
public enum ModelPrecision
{
    /// <summary>The graph as converted or exported (the default, and what every accuracy test checks).</summary>
    Float32,
    /// <summary>
    /// Weights and the network's activations in float16, for a GPU's tensor cores; inputs, outputs, post-processing and the
    /// numerically fragile operators stay float32, so the rest of the engine sees the same tensors.
    /// </summary>
    Float16,
}
