using PureHDF.VOL.Native;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// A PureHDF writing chunk cache for a dataset written front to back in slices (deferred writing): it holds the
/// last few chunks touched and writes older ones to the file, so memory stays at a few chunks however large the
/// dataset grows. PureHDF's own cache keeps every chunk until the file is closed.
/// </summary>
/// <remarks>
/// Each chunk is written with the writer PureHDF passed when the chunk was first requested. PureHDF 2.2.0 hands
/// <see cref="GetChunk"/> a writer bound to the chunk being requested, whatever index it is later called with, so
/// writing an evicted chunk with the current call's writer would store it under the new chunk's index. Slices must
/// arrive in order: a chunk written to the file cannot be written again (PureHDF refuses with an exception).
/// </remarks>
internal sealed class SequentialChunkCache : IWritingChunkCache
{
    /// <summary>Two chunks: the one a slice ends in and the one the next slice starts in may differ.</summary>
    private const int Slots = 2;

    private readonly List<(ulong Index, Memory<byte> Chunk, Action<ulong, Memory<byte>> Writer)> _held = new(Slots);

    public Memory<byte> GetChunk(ulong chunkIndex, Func<Memory<byte>> chunkAllocator, Action<ulong, Memory<byte>> chunkWriter)
    {
        foreach (var held in _held)
            if (held.Index == chunkIndex) return held.Chunk;
        if (_held.Count == Slots)
        {
            var oldest = _held[0];
            _held.RemoveAt(0);
            oldest.Writer(oldest.Index, oldest.Chunk);
        }
        var chunk = chunkAllocator();
        _held.Add((chunkIndex, chunk, chunkWriter));
        return chunk;
    }

    public void Flush(Action<ulong, Memory<byte>> chunkWriter)
    {
        foreach (var (index, chunk, _) in _held)
            chunkWriter(index, chunk);
        _held.Clear();
    }
}
