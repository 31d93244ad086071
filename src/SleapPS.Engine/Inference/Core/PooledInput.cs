using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.Models.Runtime;

namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// A runner's 4-D input tensor: a pooled array pinned under an OrtValue that is re-created only when the batch shape
/// changes, so that a run of an unchanged shape allocates nothing. <see cref="ModelRunner"/> holds NHWC floats,
/// <see cref="Exports.ExportRunner"/> NCHW bytes; the dimensions are given in the tensor's own order. Not thread-safe.
/// </summary>
/// <remarks>
/// On a GPU the tensor is allocated instead in page-locked host memory by the session's CUDA pinned allocator
/// (<see cref="ModelSession.PinnedHostAllocator"/>), and pre-processing writes the batch straight into it: the CUDA
/// provider then copies it to the device in one DMA transfer a run, without the driver's staging copy that pageable
/// memory needs (docs/design/gpu.md §3).
/// </remarks>
internal sealed class PooledInput<T> : IDisposable where T : unmanaged
{
    private readonly long[] _shape = new long[4];
    private readonly OrtAllocator? _pinned;
    private T[] _buffer = [];
    private int _length;

    /// <param name="pinned">The allocator of page-locked host memory to hold the tensor in (a GPU session's); null for a pooled managed array.</param>
    public PooledInput(OrtAllocator? pinned = null) => _pinned = pinned;

    /// <summary>The tensor over the pooled array; null until the first <see cref="Reshape"/>.</summary>
    public OrtValue? Value { get; private set; }

    /// <summary>The pooled elements of the current shape, to fill in place. Their content is whatever was there before.</summary>
    public Span<T> Span => _pinned is null ? _buffer.AsSpan(0, _length) : Value!.GetTensorMutableDataAsSpan<T>();

    /// <summary>The size of an axis of the current shape, in the tensor's order.</summary>
    public long Dimension(int axis) => _shape[axis];

    /// <summary>Whether <see cref="Value"/> already is a tensor of this shape.</summary>
    public bool Holds(long d0, long d1, long d2, long d3) =>
        Value is not null && _shape[0] == d0 && _shape[1] == d1 && _shape[2] == d2 && _shape[3] == d3;

    /// <summary>
    /// Re-creates <see cref="Value"/> with this shape (the array grows when it must). The previous value is disposed:
    /// clear any binding of it first.
    /// </summary>
    public void Reshape(long d0, long d1, long d2, long d3, int length)
    {
        Value?.Dispose();
        Value = null;
        _length = length;
        (_shape[0], _shape[1], _shape[2], _shape[3]) = (d0, d1, d2, d3);
        if (_pinned is not null)
        {
            // A new page-locked block for each new shape (shapes change rarely: a batch's size or a new video's frame size).
            Value = OrtValue.CreateAllocatedTensorValue(_pinned, typeof(T) == typeof(float) ? TensorElementType.Float : TensorElementType.UInt8, (long[])_shape.Clone());
            return;
        }
        if (_buffer.Length < length)
            _buffer = new T[length];
        Value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _buffer.AsMemory(0, length), (long[])_shape.Clone());
    }

    /// <summary>The element count of a batch of images, refused (ArgumentException) when it is empty or too large for one array.</summary>
    public static int Length(int batch, int height, int width, int channels)
    {
        if (batch < 1 || height < 1 || width < 1)
            throw new ArgumentException($"A batch of {batch} {height}x{width} images cannot be run.", nameof(batch));
        long length = (long)batch * height * width * channels;
        if (length > Array.MaxLength)
            throw new ArgumentException($"A batch of {batch} {height}x{width}x{channels} images is too large for one run.", nameof(batch));
        return (int)length;
    }

    public void Dispose()
    {
        Value?.Dispose();
        Value = null;
    }
}
