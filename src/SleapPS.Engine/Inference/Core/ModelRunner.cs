using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Core;

/// <summary>Runs one SleapModel on NHWC float batches, reusing its input and output buffers.</summary>
public sealed class ModelRunner : IDisposable
{
    public ModelRunner(SleapModel model) => throw new NotImplementedException();

    public ModelOutputs Run(ReadOnlySpan<float> batchNhwc, int batch, int height, int width, int channels) => throw new NotImplementedException();

    /// <summary>The pooled input buffer for a batch of this shape, to fill in place before <see cref="Run()"/>.</summary>
    public Span<float> PrepareInput(int batch, int height, int width, int channels) => throw new NotImplementedException();

    /// <summary>Runs the model on the batch last written through <see cref="PrepareInput"/>.</summary>
    public ModelOutputs Run() => throw new NotImplementedException();

    public void Dispose() { }
}
