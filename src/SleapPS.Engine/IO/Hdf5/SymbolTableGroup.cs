using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// A group stored the old way (h5py's default): a symbol table message names a version 1 B-tree ("TREE") whose leaves
/// are symbol nodes ("SNOD") of entries, and a local heap of link names (docs/design/reliability.md §3). The heap is
/// checked against the file's size (see <see cref="RootLocalHeap"/>); the objects the entries name are handed on.
/// </summary>
internal static class SymbolTableGroup
{
    private const int MaxEntries = 4096, MaxDepth = 32, MaxNodes = 10_000;

    /// <exception cref="InvalidDataException">The group's local heap declares more bytes than the file holds.</exception>
    public static void Visit(Hdf5Bytes file, ReadOnlySpan<byte> symbolTable, Action<long> add)
    {
        long tree = (long)BinaryPrimitives.ReadUInt64LittleEndian(symbolTable);
        long heap = (long)BinaryPrimitives.ReadUInt64LittleEndian(symbolTable[8..]);
        RootLocalHeap.CheckHeap(file.Stream, file.BaseAddress, heap);
        int nodes = 0;
        Tree(file, tree, 0, ref nodes, add);
    }

    /// <summary>A version 1 group B-tree node: children are nodes, or at level 0 symbol nodes.</summary>
    private static void Tree(Hdf5Bytes file, long address, int depth, ref int nodes, Action<long> add)
    {
        if (depth > MaxDepth || ++nodes > MaxNodes || file.Read(address, 24) is not { } node || !node.AsSpan(0, 4).SequenceEqual("TREE"u8) || node[4] != 0) return;
        int level = node[5], used = BinaryPrimitives.ReadUInt16LittleEndian(node.AsSpan(6));
        if (used > MaxEntries || file.Read(address + 24, (used * 2 + 1) * 8) is not { } body) return;
        for (int i = 0; i < used; i++)
        {
            long child = (long)BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(8 + i * 16));
            if (level > 0) Tree(file, child, depth + 1, ref nodes, add);
            else Symbols(file, child, add);
        }
    }

    private static void Symbols(Hdf5Bytes file, long address, Action<long> add)
    {
        if (file.Read(address, 8) is not { } head || !head.AsSpan(0, 4).SequenceEqual("SNOD"u8)) return;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6));
        if (count > MaxEntries || file.Read(address + 8, count * 40) is not { } entries) return;
        for (int i = 0; i < count; i++)
            add((long)BinaryPrimitives.ReadUInt64LittleEndian(entries.AsSpan(i * 40 + 8)));
    }
}
