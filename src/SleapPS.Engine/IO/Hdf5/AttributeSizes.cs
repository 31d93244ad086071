using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Walks every object of an HDF5 file before PureHDF opens it and checks the sizes PureHDF would allocate as it
/// decodes their headers (docs/design/reliability.md §3): each attribute's declared data must fit in the message that
/// holds it, each compact dataset's data and each fill value likewise, each link's name in its message, each group's
/// local heap and each fractal heap's root block in the file, each B-tree node's records in the node, each header
/// block's messages in the block, each variable-length value's global heap object in its collection. PureHDF
/// allocates these (or, for a header block, reads on past the file's end) before any of our checks can see the
/// object; a damaged size costs up to 2 GB. Superblocks 0-3, object headers 1 and 2 (continuations included) are
/// walked, and groups stored every way: symbol tables (h5py's default), link messages (PureHDF's and h5py's
/// libver='latest'), dense links and attributes in fractal heaps indexed by v2 B-trees.
/// Anything this walk does not recognise is left to PureHDF, which reports it; the walk visits each object once and at
/// most <see cref="MaxObjects"/> objects.
/// </summary>
internal static class AttributeSizes
{
    private const int MaxObjects = 100_000;
    private const int HugeObjectRecords = 1, LinkNameRecords = 5, AttributeNameRecords = 8;

    /// <exception cref="InvalidDataException">A size PureHDF would allocate is larger than what holds it.</exception>
    public static void Check(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (Hdf5Superblock.Find(stream) is not { } superblock) return;
        var walk = new Walk(new Hdf5Bytes(stream, superblock.BaseAddress));
        if (superblock.Extension is { } extension) walk.Add(extension);
        walk.Add(superblock.RootObjectHeader);
        walk.Run();
    }

    private sealed class Walk(Hdf5Bytes file)
    {
        private readonly HashSet<long> _seen = [], _collections = [];
        private readonly Queue<long> _objects = new();

        public void Add(long address)
        {
            if (address >= 0) _objects.Enqueue(address);
        }

        public void Run()
        {
            while (_objects.TryDequeue(out long address) && _seen.Count < MaxObjects)
                if (_seen.Add(address)) Object(address);
        }

        /// <summary>
        /// One object's messages. A dataset stored in chunks has its chunk index checked (<see cref="ChunkIndex"/>); one
        /// of variable-length values (datatype class 9) stored as is, compact or
        /// contiguous (layout versions 3/4), has the global heap collections its values point into checked as well.
        /// </summary>
        private void Object(long address)
        {
            byte[]? datatype = null, layout = null;
            ObjectHeaderMessages.Visit(file, address, (type, flags, data) =>
            {
                Message(type, flags, data);
                if ((flags & 0x02) != 0) return;
                if (type == HeaderMessageSizes.Datatype) datatype ??= data.ToArray();
                else if (type == HeaderMessageSizes.Layout) layout ??= data.ToArray();
            });
            if (layout is not null) ChunkIndex.Check(file, layout);
            if (datatype is not { Length: >= 8 } || (datatype[0] & 0x0F) != HeaderMessageSizes.VariableLength || BinaryPrimitives.ReadUInt32LittleEndian(datatype.AsSpan(4)) != 16) return;
            if (layout is not { Length: >= 4 } || layout[0] is not (3 or 4)) return;
            byte[]? values = layout[1] switch
            {
                0 => layout.AsSpan(4, Math.Min(layout.Length - 4, BinaryPrimitives.ReadUInt16LittleEndian(layout.AsSpan(2)))).ToArray(),
                1 when layout.Length >= 18 => file.Read(Hdf5Bytes.Address(layout.AsSpan(2)),
                    Math.Min(Hdf5Bytes.MaxRead, Hdf5Bytes.Address(layout.AsSpan(10)))),
                _ => null,
            };
            // Each value: its length, its collection's address, its index there.
            for (int at = 0; values is not null && at + 16 <= values.Length; at += 16)
                Collection(Hdf5Bytes.Address(values.AsSpan(at + 4)));
        }

        private void Message(int type, int flags, ReadOnlySpan<byte> data)
        {
            if ((flags & 0x02) != 0) return;  // a shared message: its data says where the message is
            switch (type)
            {
                case HeaderMessageSizes.Attribute: HeaderMessageSizes.CheckAttribute(data, "its header", Shared, Collection); break;
                case HeaderMessageSizes.Layout: HeaderMessageSizes.CheckLayout(data); break;
                case HeaderMessageSizes.OldFillValue or HeaderMessageSizes.FillValue: HeaderMessageSizes.CheckFillValue(type, data); break;
                case HeaderMessageSizes.Link: Add(HeaderMessageSizes.CheckLink(data, "its message")); break;
                case HeaderMessageSizes.SymbolTable when data.Length >= 16: SymbolTableGroup.Visit(file, data, Add); break;
                case HeaderMessageSizes.LinkInfo: Dense(data, 8, LinkNameRecords, "links"); break;
                case HeaderMessageSizes.AttributeInfo: Dense(data, 2, AttributeNameRecords, "attributes"); break;
            }
        }

        /// <summary>
        /// Link info and attribute info messages: version 0, flags (bit 0: a creation index of 8 or 2 bytes follows),
        /// then the fractal heap's and the name index's addresses. Every object the index names is checked as if it
        /// were in a header, and so is every huge object the heap lists.
        /// </summary>
        private void Dense(ReadOnlySpan<byte> info, int creationIndexSize, int recordType, string what)
        {
            if (info.Length < 2 || info[0] != 0) return;
            int at = 2 + ((info[1] & 0x01) != 0 ? creationIndexSize : 0);
            if (at + 16 > info.Length) return;
            long heapAddress = Hdf5Bytes.Address(info[at..]), index = Hdf5Bytes.Address(info[(at + 8)..]);
            if (heapAddress < 0 || FractalHeap.Open(file, heapAddress, what) is not { } heap) return;
            bool links = recordType == LinkNameRecords;
            // Link name records: the name's hash (4), then the heap ID; attribute name records: the heap ID (8), flags
            // (bit 0: shared elsewhere), creation order, hash.
            BTree2Records.Visit(file, index, recordType, what, record =>
            {
                if (!links && (record.Length < 9 || (record[8] & 0x01) != 0)) return;
                if (heap.Object(links ? record[4..] : record[..8]) is { } stored) Stored(stored, links);
            });
            if (!heap.HugeIdsAreDirect && heap.HugeObjects >= 0)
                BTree2Records.Visit(file, heap.HugeObjects, HugeObjectRecords, what, record =>
                {
                    if (record.Length >= 16 && heap.At(Hdf5Bytes.Address(record), Hdf5Bytes.Address(record[8..])) is { } stored)
                        Stored(stored, links);
                });
        }

        private void Stored(byte[] message, bool link)
        {
            if (link) Add(HeaderMessageSizes.CheckLink(message, "its place in the link heap"));
            else HeaderMessageSizes.CheckAttribute(message, "its place in the attribute heap", Shared, Collection);
        }

        /// <summary>A global heap collection a variable-length attribute value is in, checked once.</summary>
        private void Collection(long address)
        {
            if (address >= 0 && _collections.Count < MaxObjects && _collections.Add(address))
                GlobalHeapCollection.Check(file, address);
        }

        /// <summary>
        /// A datatype or dataspace shared with another object header (a committed datatype): the reference is
        /// version 1 (address at 8), 2 (at 2) or 3 with type 2 (at 2); version 3 type 1 (the shared-message heap) is
        /// not followed.
        /// </summary>
        private byte[]? Shared(int messageType, ReadOnlySpan<byte> reference)
        {
            if (reference.Length < 2) return null;
            int addressAt = reference[0] switch { 1 => 8, 2 => 2, 3 when reference[1] == 2 => 2, _ => -1 };
            if (addressAt < 0 || addressAt + 8 > reference.Length) return null;
            byte[]? found = null;
            ObjectHeaderMessages.Visit(file, Hdf5Bytes.Address(reference[addressAt..]), (type, flags, data) =>
            {
                if (found is null && type == messageType && (flags & 0x02) == 0) found = data.ToArray();
            });
            return found;
        }
    }
}
