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
            Blocks(file, address, (ulong)address + 16, BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8)), version: 1, creationOrder: false, visit);
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
        Blocks(file, address, (ulong)(address + at + width), size, version: 2, creationOrder: (flags & 0x04) != 0, visit);
    }

    /// <summary>
    /// PureHDF decodes a block's messages while more than a message prefix is left of the size the header declares,
    /// subtracting each message's declared size. A block that runs past the file's end, or a message that runs past
    /// its block, sends that count below zero and PureHDF on reading past the file's end for as long as it runs (a
    /// hang; `--seed 10 --case sleapps-written-h5:4579`); both are refused here.
    /// </summary>
    private static void Blocks(Hdf5Bytes file, long header, ulong start, ulong length, int version, bool creationOrder, HeaderMessageVisitor visit)
    {
        var blocks = new Queue<(ulong Start, ulong Length, bool Signed)>();
        blocks.Enqueue((start, length, false));
        int prefixSize = version == 1 ? 8 : creationOrder ? 6 : 4, gap = version == 1 ? 0 : prefixSize;
        for (int count = 0; count < MaxBlocks && blocks.TryDequeue(out var block); count++)
        {
            if (block.Start > long.MaxValue) continue;  // an undefined address: PureHDF cannot seek there and says so
            if (!file.Holds(block.Start, block.Length))
                throw FileEndsEarly.Exception(
                    $"The object header at offset {header} declares a block of {block.Length} bytes of messages at offset {block.Start}, " +
                    $"past the end of a file of {file.Length} bytes");
            if (file.Read((long)block.Start, (long)block.Length) is not { } read) continue;
            var bytes = read.AsSpan();
            if (block.Signed)
            {
                if (bytes.Length < 8 || !bytes[..4].SequenceEqual("OCHK"u8)) continue;
                bytes = bytes[4..^4];
            }
            for (int at = 0; bytes.Length - at > gap;)
            {
                int left = bytes.Length - at;
                int size = left < prefixSize ? 0 : BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + (version == 1 ? 2 : 1))..]);
                if (prefixSize + size > left)
                    throw new InvalidDataException(
                        $"A message in the object header at offset {header} declares {size} bytes, more than the {Math.Max(0, left - prefixSize)} bytes " +
                        $"left in its block; the file is damaged.");
                int type = version == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]) : bytes[at];
                int flags = bytes[at + (version == 1 ? 4 : 3)];
                var data = bytes.Slice(at + prefixSize, size);
                if (type == Continuation && size >= 16)
                    blocks.Enqueue((BinaryPrimitives.ReadUInt64LittleEndian(data), BinaryPrimitives.ReadUInt64LittleEndian(data[8..]), version == 2));
                else
                    visit(type, flags, data);
                at += prefixSize + size;
            }
        }
    }
}
