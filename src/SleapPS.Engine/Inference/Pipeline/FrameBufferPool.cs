using System.Collections.Concurrent;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// Reuses frame pixel buffers of exactly one frame's size, so that decoding allocates nothing per frame once the
/// pipeline is full. Buffers come back when their batch has been predicted; at most <see cref="MaxRetained"/> of
/// each size are kept. Thread-safe: the decode thread rents, the predictor thread returns.
/// </summary>
internal sealed class FrameBufferPool(int maxRetained)
{
    private readonly ConcurrentDictionary<int, ConcurrentBag<byte[]>> _free = new();

    public int MaxRetained { get; } = maxRetained;

    /// <summary>A buffer of exactly <paramref name="length"/> bytes, reused when one is free.</summary>
    public byte[] Rent(int length) =>
        _free.TryGetValue(length, out var bag) && bag.TryTake(out var buffer) ? buffer : new byte[length];

    public void Return(byte[] buffer)
    {
        var bag = _free.GetOrAdd(buffer.Length, _ => new ConcurrentBag<byte[]>());
        if (bag.Count < MaxRetained) bag.Add(buffer);
    }
}
