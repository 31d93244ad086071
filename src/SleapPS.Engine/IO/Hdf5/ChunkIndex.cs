using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// The chunks of a dataset stored in chunks the way h5py writes them (data layout version 3, a version 1 B-tree of
/// chunks, "TREE" type 1; docs/design/reliability.md §3). PureHDF allocates a chunk's declared size (from the dataset's
/// chunk dimensions) for every chunk it reads, and for a compressed chunk also a buffer of the stored size the tree
/// declares, before it reads a byte: a chunk must decompress to at most what deflate can make of the whole file, and
/// each stored chunk must lie inside the file. Layout version 4's indexes (what PureHDF writes) are not walked.
/// </summary>
internal static class ChunkIndex
{
    private const int MaxNodes = 10_000, MaxDepth = 32, MaxEntries = 4096;

    /// <exception cref="InvalidDataException">The chunk size, or a stored chunk, does not fit what the file can hold.</exception>
    public static void Check(Hdf5Bytes file, ReadOnlySpan<byte> layout)
    {
        // Version 3, class 2: the dimensionality (the chunk's axes plus one for the element size), the B-tree's address,
        // then each axis's chunk size in 4 bytes, the last being the element size.
        if (layout.Length < 11 || layout[0] != 3 || layout[1] != 2) return;
        int rank = layout[2];
        if (rank < 1 || 11 + 4 * rank > layout.Length) return;
        ulong chunkBytes = 1;
        for (int d = 0; d < rank; d++)
        {
            ulong size = BinaryPrimitives.ReadUInt32LittleEndian(layout[(11 + 4 * d)..]);
            chunkBytes = size != 0 && chunkBytes > ulong.MaxValue / size ? ulong.MaxValue : chunkBytes * size;
        }
        ulong bound = (ulong)file.Length * DeclaredExtent.MaxCompressionRatio;
        if (chunkBytes > bound)
            throw new InvalidDataException(
                $"A dataset declares chunks of {chunkBytes} bytes, more than a file of {file.Length} bytes can hold even compressed; the file is damaged.");
        int nodes = 0;
        Node(file, Hdf5Bytes.Address(layout[3..]), rank, 0, ref nodes);
    }

    /// <summary>
    /// A node: "TREE", type 1, level, entries used, two sibling addresses; then keys and children alternating, each key
    /// the chunk's stored size (4), its filter mask (4) and its offset (8 per axis); at level 0 the children are chunks.
    /// </summary>
    private static void Node(Hdf5Bytes file, long address, int rank, int depth, ref int nodes)
    {
        if (depth > MaxDepth || ++nodes > MaxNodes || file.Read(address, 24) is not { } head) return;
        if (!head.AsSpan(0, 4).SequenceEqual("TREE"u8) || head[4] != 1) return;
        int level = head[5], used = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6));
        int keySize = 8 + 8 * rank;
        if (used > MaxEntries || file.Read(address + 24, used * (keySize + 8) + keySize) is not { } body) return;
        for (int i = 0; i < used; i++)
        {
            var key = body.AsSpan(i * (keySize + 8));
            long child = Hdf5Bytes.Address(key[keySize..]);
            if (level > 0)
            {
                Node(file, child, rank, depth + 1, ref nodes);
                continue;
            }
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(key);
            if (child >= 0 && !file.Holds((ulong)child, stored))
                throw FileEndsEarly.Exception(
                    $"A chunk of a dataset declares {stored} bytes at offset {child}, past the end of a file of {file.Length} bytes");
        }
    }
}
