namespace SleapPS.Engine.Models;

/// <summary>Where ONNX Runtime runs a model.</summary>
public enum ExecutionDevice
{
    /// <summary>The CPU (the default; always available).</summary>
    Cpu,
    /// <summary>The first NVIDIA GPU, through ONNX Runtime's CUDA execution provider; fails when it cannot be used.</summary>
    Cuda,
    /// <summary>CUDA when it can be used, otherwise the CPU. The device actually used is reported.</summary>
    Auto,
}
