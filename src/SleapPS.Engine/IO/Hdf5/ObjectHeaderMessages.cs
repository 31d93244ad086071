using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>One header message: its type, its flags (bit 1: stored elsewhere, shared) and its data.</summary>
internal delegate void HeaderMessageVisitor(int type, int flags, ReadOnlySpan<byte> data);

/// <summary>
/// Lists the messages of one object header for the pre-checks (docs/design/reliability.md §3): version 1 headers
/// (h5py's default) and version 2 headers ("OHDR", what PureHDF and h5py's libver='latest' write), continuation blocks
/// included (raw for version 1, "OCHK" blocks for version 2). A message whose declared size runs past its block ends
/// that block; a header this does not recognise is skipped (PureHDF reports it).
/// </summary>
internal static class ObjectHeaderMessages
{
    public const int Continuation = 0x10;

    private const int MaxBlocks = 1000;

    public static void Visit(Hdf5Bytes file, long address, HeaderMessageVisitor visit)
    {
        if (file.ReadUpTo(address, 40) is not { } prefix || prefix.Length < 16) return;
        if (prefix[0] == 1)
            Blocks(file, address + 16, BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8)), version: 1, creationOrder: false, visit);
        else if (prefix.AsSpan(0, 4).SequenceEqual("OHDR"u8) && prefix[4] == 2)
            Version2(file, address, prefix, visit);
    }

    /// <summary>
    /// "OHDR", version, flags; four times when flags bit 5; two attribute phase-change counts when bit 4; chunk 0's
    /// size in 1, 2, 4 or 8 bytes (bits 0-1); then the messages, each with a 2-byte creation order when bit 2 is set.
    /// </summary>
    private static void Version2(Hdf5Bytes file, long address, byte[] prefix, HeaderMessageVisitor visit)
    {
        int flags = prefix[5], at = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int width = 1 << (flags & 0x03);
        if (at + width > prefix.Length) return;
        ulong size = Hdf5Bytes.Unsigned(prefix.AsSpan(at), width);
        if (size > Hdf5Bytes.MaxRead) return;
        Blocks(file, address + at + width, (long)size, version: 2, creationOrder: (flags & 0x04) != 0, visit);
    }

    private static void Blocks(Hdf5Bytes file, long start, long length, int version, bool creationOrder, HeaderMessageVisitor visit)
    {
        var blocks = new Queue<(long Start, long Length, bool Signed)>();
        blocks.Enqueue((start, length, false));
        int headerSize = version == 1 ? 8 : creationOrder ? 6 : 4;
        for (int count = 0; count < MaxBlocks && blocks.TryDequeue(out var block); count++)
        {
            if (file.Read(block.Start, block.Length) is not { } read) continue;
            var bytes = read.AsSpan();
            if (block.Signed)
            {
                if (bytes.Length < 8 || !bytes[..4].SequenceEqual("OCHK"u8)) continue;
                bytes = bytes[4..^4];
            }
            for (int at = 0; at + headerSize <= bytes.Length;)
            {
                int type = version == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]) : bytes[at];
                int size = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + (version == 1 ? 2 : 1))..]);
                int flags = bytes[at + (version == 1 ? 4 : 3)];
                if (at + headerSize + size > bytes.Length) break;
                var data = bytes.Slice(at + headerSize, size);
                if (type == Continuation && size >= 16)
                    blocks.Enqueue(ContinuationBlock(data, version));
                else
                    visit(type, flags, data);
                at += headerSize + size;
            }
        }
    }

    /// <summary>A continuation block: version 1 blocks are bare messages; version 2 blocks start "OCHK" and end in a checksum.</summary>
    private static (long, long, bool) ContinuationBlock(ReadOnlySpan<byte> data, int version) =>
        (Hdf5Bytes.Address(data), Hdf5Bytes.Address(data[8..]), version == 2);
}
