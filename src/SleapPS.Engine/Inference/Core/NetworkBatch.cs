namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// A runner's pooled input for one batch, in the element type its graph takes: floats, or uint8 pixels for a graph with
/// a byte-input front (docs/design/gpu.md §3), which scales them itself with the same float32 operation.
/// </summary>
public readonly ref struct NetworkBatch
{
    private readonly Span<float> _floats;
    private readonly Span<byte> _bytes;
    private readonly int _height, _width, _perImage;
    private readonly bool _bytesInput;

    /// <summary>A batch of float network input.</summary>
    internal NetworkBatch(Span<float> floats, int height, int width, int channels) : this(height, width, channels) => _floats = floats;

    /// <summary>A batch of uint8 pixels for a byte-input front.</summary>
    internal NetworkBatch(Span<byte> bytes, int height, int width, int channels) : this(height, width, channels)
    {
        _bytes = bytes;
        _bytesInput = true;
    }

    private NetworkBatch(int height, int width, int channels)
    {
        (_height, _width, _perImage) = (height, width, height * width * channels);
    }

    /// <summary>
    /// Image <paramref name="index"/> of the batch from its uint8 HWC pixels, by <paramref name="rules"/>: the float network
    /// input (<see cref="InferenceRules.ToNetworkInput"/>), or its bytes before the scaling (<see cref="InferenceRules.ToNetworkBytes"/>).
    /// </summary>
    internal void Write(int index, InferenceRules rules, ReadOnlySpan<byte> hwc, int height, int width, int channels, int modelChannels,
        double scale, int padToStride)
    {
        if (_bytesInput)
            rules.ToNetworkBytes(hwc, height, width, channels, modelChannels, scale, padToStride, _bytes.Slice(index * _perImage, _perImage), _height, _width);
        else
            rules.ToNetworkInput(hwc, height, width, channels, modelChannels, scale, padToStride, _floats.Slice(index * _perImage, _perImage), _height, _width);
    }
}
