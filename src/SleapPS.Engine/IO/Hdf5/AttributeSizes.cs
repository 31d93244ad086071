using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Walks the groups of an HDF5 file with a version 0/1 superblock (what h5py writes by default) and checks every
/// attribute message in a version 1 object header: the data its datatype and dataspace declare must fit in the message
/// that holds it (docs/design/reliability.md §3). PureHDF allocates an attribute's declared data while it decodes an
/// object header, before any of our checks can see the attribute; a damaged dimension costs up to 2 GB there. Each
/// group's local heap is checked against the file's size too (see <see cref="RootLocalHeap"/>). Anything this walk
/// does not recognise is left to PureHDF, which reports it; the walk visits each object once and at most
/// <see cref="MaxObjects"/> objects.
/// </summary>
internal static class AttributeSizes
{
    private const int MaxObjects = 100_000;
    private const ushort LayoutMessage = 0x08, SymbolTableMessage = 0x11, AttributeMessage = 0x0C, ContinuationMessage = 0x10;

    /// <exception cref="InvalidDataException">An attribute declares more data than its message holds, or a group's heap more than the file.</exception>
    public static void Check(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (RootLocalHeap.RootEntry(stream) is not ({ } baseAddress, { } rootHeader)) return;
        var walk = new Walk(stream, baseAddress);
        walk.Object(rootHeader);
    }

    private sealed class Walk(Stream stream, long baseAddress)
    {
        private readonly HashSet<long> _seen = [];
        private readonly Queue<long> _objects = new();

        public void Object(long first)
        {
            _objects.Enqueue(first);
            while (_objects.TryDequeue(out long address) && _seen.Count < MaxObjects)
                if (_seen.Add(address)) Header(address);
        }

        private byte[]? Read(long address, int count)
        {
            long at = baseAddress + address;
            if (address < 0 || count < 0 || at < 0 || at + count > stream.Length) return null;
            var buffer = new byte[count];
            stream.Position = at;
            stream.ReadExactly(buffer);
            return buffer;
        }

        /// <summary>A version 1 object header: a 16-byte prefix, then messages (type, size, flags, 3 reserved, data).</summary>
        private void Header(long address)
        {
            var prefix = Read(address, 16);
            if (prefix is null || prefix[0] != 1) return;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8));
            var blocks = new Queue<(long, long)>();
            blocks.Enqueue((address + 16, size));
            int guard = 0;
            while (blocks.TryDequeue(out var block) && guard++ < 1000)
            {
                if (block.Item2 > 1 << 24 || Read(block.Item1, (int)block.Item2) is not { } bytes) return;
                for (int at = 0; at + 8 <= bytes.Length;)
                {
                    ushort type = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at));
                    int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 2));
                    if (at + 8 + length > bytes.Length) break;
                    var data = bytes.AsSpan(at + 8, length);
                    if (type == AttributeMessage) Attribute(data);
                    else if (type == LayoutMessage) Layout(data);
                    else if (type == SymbolTableMessage && length >= 16) Group(data);
                    else if (type == ContinuationMessage && length >= 16)
                        blocks.Enqueue(((long)BinaryPrimitives.ReadUInt64LittleEndian(data), (long)BinaryPrimitives.ReadUInt64LittleEndian(data[8..])));
                    at += 8 + length;
                }
            }
        }

        /// <summary>Attribute message versions 1-3: the data follows name, datatype and dataspace and fills the message.</summary>
        private static void Attribute(ReadOnlySpan<byte> message)
        {
            if (message.Length < 8) return;
            int version = message[0];
            if (version is < 1 or > 3) return;
            int nameSize = BinaryPrimitives.ReadUInt16LittleEndian(message[2..]);
            int typeSize = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
            int spaceSize = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
            int at = version == 3 ? 9 : 8;
            int Pad(int n) => version == 1 ? (n + 7) & ~7 : n;
            int typeAt = at + Pad(nameSize), spaceAt = typeAt + Pad(typeSize), dataAt = spaceAt + Pad(spaceSize);
            if (typeSize < 8 || spaceSize < 8 || dataAt > message.Length) return;
            long elementSize = BinaryPrimitives.ReadUInt32LittleEndian(message[(typeAt + 4)..]);
            var space = message.Slice(spaceAt, spaceSize);
            int spaceVersion = space[0], rank = space[1];
            int dimsAt = spaceVersion == 1 ? 8 : spaceVersion == 2 ? 4 : -1;
            if (dimsAt < 0 || (spaceVersion == 2 && space[3] == 2) || dimsAt + 8 * rank > space.Length) return;
            ulong elements = 1;
            for (int d = 0; d < rank; d++)
            {
                ulong dimension = BinaryPrimitives.ReadUInt64LittleEndian(space[(dimsAt + 8 * d)..]);
                elements = dimension != 0 && elements > ulong.MaxValue / dimension ? ulong.MaxValue : elements * dimension;
            }
            ulong declared = elementSize != 0 && elements > ulong.MaxValue / (ulong)elementSize ? ulong.MaxValue : elements * (ulong)elementSize;
            if (declared > (ulong)(message.Length - dataAt))
                throw new InvalidDataException(
                    $"An attribute declares {elements} values of {elementSize} bytes, more than the {message.Length - dataAt} bytes its header holds; the file is damaged.");
        }

        /// <summary>
        /// Data layout message versions 1/2 of a compact dataset (class 0): its data size is a 4-byte field after the
        /// dimensions, and the data must follow it in the message. PureHDF allocates that size as it decodes the header.
        /// </summary>
        private static void Layout(ReadOnlySpan<byte> message)
        {
            if (message.Length < 8 || message[0] is not (1 or 2) || message[2] != 0) return;
            int sizeAt = 8 + 4 * message[1];
            if (sizeAt + 4 > message.Length) return;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(message[sizeAt..]);
            if (size > message.Length - sizeAt - 4)
                throw new InvalidDataException(
                    $"A compact dataset declares {size} bytes of data, more than the {message.Length - sizeAt - 4} bytes its header holds; the file is damaged.");
        }

        /// <summary>A group: its local heap is checked, and the objects its B-tree names are queued.</summary>
        private void Group(ReadOnlySpan<byte> symbolTable)
        {
            long tree = (long)BinaryPrimitives.ReadUInt64LittleEndian(symbolTable);
            long heap = (long)BinaryPrimitives.ReadUInt64LittleEndian(symbolTable[8..]);
            RootLocalHeap.CheckHeap(stream, baseAddress, heap);
            Tree(tree, depth: 0);
        }

        /// <summary>A version 1 group B-tree node ("TREE"): children are nodes, or at level 0 symbol nodes ("SNOD").</summary>
        private void Tree(long address, int depth)
        {
            if (depth > 32 || Read(address, 24) is not { } node || !node.AsSpan(0, 4).SequenceEqual("TREE"u8) || node[4] != 0) return;
            int level = node[5], used = BinaryPrimitives.ReadUInt16LittleEndian(node.AsSpan(6));
            if (used > 4096 || Read(address + 24, (used * 2 + 1) * 8) is not { } body) return;
            for (int i = 0; i < used; i++)
            {
                long child = (long)BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(8 + i * 16));
                if (level > 0) Tree(child, depth + 1);
                else Symbols(child);
            }
        }

        private void Symbols(long address)
        {
            if (Read(address, 8) is not { } head || !head.AsSpan(0, 4).SequenceEqual("SNOD"u8)) return;
            int count = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6));
            if (count > 4096 || Read(address + 8, count * 40) is not { } entries) return;
            for (int i = 0; i < count; i++)
                _objects.Enqueue((long)BinaryPrimitives.ReadUInt64LittleEndian(entries.AsSpan(i * 40 + 8)));
        }
    }
}
