using System.Collections.Concurrent;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// Reuses frame pixel buffers of exactly one frame's size, so that decoding allocates nothing per frame once the
/// pipeline is full, and, as the pipeline keeps its pool from run to run, nothing per run either (frame buffers are
/// large objects: allocating them anew for each run grew the process by megabytes a run, which the GC kept).
/// Buffers come back when their batch has been predicted; at most <see cref="MaxRetained"/> are kept, all of the
/// frame size last rented (videos are decoded one at a time, so a new size means the old one is done with).
/// Thread-safe: the decode thread rents, the predictor thread returns.
/// </summary>
internal sealed class FrameBufferPool(int maxRetained)
{
    private readonly object _sizeLock = new();
    private ConcurrentBag<byte[]> _free = new();
    private int _length = -1;

    public int MaxRetained { get; } = maxRetained;

    /// <summary>Buffers kept for reuse now.</summary>
    public int RetainedCount => Volatile.Read(ref _free).Count;

    /// <summary>A buffer of exactly <paramref name="length"/> bytes, reused when one is free.</summary>
    public byte[] Rent(int length)
    {
        if (length != Volatile.Read(ref _length))
        {
            lock (_sizeLock)
            {
                if (length != _length)
                {
                    // A new frame size: buffers of the old one are not kept.
                    Volatile.Write(ref _free, new ConcurrentBag<byte[]>());
                    Volatile.Write(ref _length, length);
                }
            }
        }
        return Volatile.Read(ref _free).TryTake(out var buffer) ? buffer : new byte[length];
    }

    /// <summary>Takes a buffer back; one of another size than the last rented, or beyond <see cref="MaxRetained"/>, is left to the GC.</summary>
    public void Return(byte[] buffer)
    {
        var free = Volatile.Read(ref _free);
        if (buffer.Length == Volatile.Read(ref _length) && free.Count < MaxRetained)
            free.Add(buffer);
    }
}
