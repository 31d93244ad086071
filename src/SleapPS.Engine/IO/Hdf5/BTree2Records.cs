using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>One record of a version 2 B-tree.</summary>
internal delegate void BTree2RecordVisitor(ReadOnlySpan<byte> record);

/// <summary>
/// Visits the records of a version 2 B-tree ("BTHD", its nodes "BTIN" and "BTLF"): the index of a group's links or an
/// object's attributes in dense storage, or of a fractal heap's huge objects (docs/design/reliability.md §3). PureHDF
/// allocates each node's records at the count its parent declares; every node must hold its declared records, and the
/// declared node size must fit in the file. Nodes the walk cannot read are left to PureHDF.
/// </summary>
internal static class BTree2Records
{
    private const int MaxNodes = 10_000, Overhead = 10;  // signature, version, type, checksum

    /// <param name="type">The record type expected (1: huge objects, 5: link names, 8: attribute names); another is skipped.</param>
    /// <param name="what">What the tree's object holds, for the error: "links" or "attributes".</param>
    /// <exception cref="InvalidDataException">A node or count larger than the file or node that holds it.</exception>
    public static void Visit(Hdf5Bytes file, long address, int type, string what, BTree2RecordVisitor visit)
    {
        if (file.Read(address, 38) is not { } header || !header.AsSpan(0, 4).SequenceEqual("BTHD"u8) || header[4] != 0 || header[5] != type) return;
        ulong nodeSize = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(6));
        int recordSize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
        int depth = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(12));
        long root = Hdf5Bytes.Address(header.AsSpan(16));
        int rootCount = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(24));
        if (recordSize == 0 || nodeSize <= Overhead || depth > 64 || root < 0) return;
        if (nodeSize > (ulong)file.Length)
            throw new InvalidDataException(
                $"The index of an object's {what} (a B-tree) declares nodes of {nodeSize} bytes, more than a file of {file.Length} bytes holds; the file is damaged.");
        var tree = new Tree(file, what, nodeSize, recordSize, PointerSizes(nodeSize, recordSize, depth), visit);
        tree.Node(root, (ulong)rootCount, depth);
    }

    /// <summary>
    /// The size of a child pointer in an internal node at each level, as PureHDF computes it: an address, the child's
    /// record count (in as many bytes as a leaf's most records need) and, above level 1, the child's total count.
    /// </summary>
    private static int[] PointerSizes(ulong nodeSize, int recordSize, int depth)
    {
        ulong leafMost = (nodeSize - Overhead) / (ulong)recordSize;
        int countSize = MinBytes(leafMost);
        var sizes = new int[depth + 1];
        ulong below = leafMost;
        int totalSize = 0;
        for (int level = 1; level <= depth; level++)
        {
            sizes[level] = 8 + countSize + totalSize;
            ulong most = nodeSize > Overhead + (ulong)sizes[level] ? (nodeSize - Overhead - (ulong)sizes[level]) / (ulong)recordSize + (ulong)sizes[level] : 0;
            below = (most + 1) * below + most;
            totalSize = MinBytes(below);
        }
        return sizes;
    }

    private static int MinBytes(ulong value)
    {
        int bits = 1;
        while ((value >>= 1) != 0) bits++;
        return (bits + 7) / 8;
    }

    private sealed class Tree(Hdf5Bytes file, string what, ulong nodeSize, int recordSize, int[] pointerSizes, BTree2RecordVisitor visit)
    {
        private readonly HashSet<long> _seen = [];

        public void Node(long address, ulong count, int level)
        {
            if (address < 0 || _seen.Count >= MaxNodes || !_seen.Add(address)) return;
            if (count > (nodeSize - Overhead) / (ulong)recordSize)
                throw new InvalidDataException(
                    $"A node of the index of an object's {what} (a B-tree) declares {count} records of {recordSize} bytes, more than its {nodeSize}-byte node holds; the file is damaged.");
            int records = (int)count * recordSize;
            int pointers = level == 0 ? 0 : ((int)count + 1) * pointerSizes[level];
            if (file.Read(address, 6 + records + pointers) is not { } node) return;
            if (!node.AsSpan(0, 4).SequenceEqual(level == 0 ? "BTLF"u8 : "BTIN"u8)) return;
            for (int i = 0; i < (int)count; i++)
                visit(node.AsSpan(6 + i * recordSize, recordSize));
            for (int i = 0; level > 0 && i <= (int)count; i++)
            {
                var pointer = node.AsSpan(6 + records + i * pointerSizes[level]);
                Node(Hdf5Bytes.Address(pointer), Hdf5Bytes.Unsigned(pointer[8..], pointerSizes[1] - 8), level - 1);
            }
        }
    }
}
