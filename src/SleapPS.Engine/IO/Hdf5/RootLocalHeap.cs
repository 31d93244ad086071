using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Checks the root group's local heap (the block that holds its link names) against the file's real size before
/// PureHDF opens the file (docs/design/reliability.md §3). PureHDF allocates a heap's whole declared data segment,
/// up to 2 GB, the first time it looks up a name; a damaged size field would cost that much memory before the read
/// fails. Files with a version 0 or 1 superblock (every SLEAP file h5py writes) name the heap in the root group's
/// symbol-table entry; for other superblocks nothing is checked.
/// </summary>
internal static class RootLocalHeap
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <exception cref="InvalidDataException">The root group's heap declares more bytes than the file holds.</exception>
    public static void Check(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Check(stream);
    }

    /// <exception cref="InvalidDataException">The root group's heap declares more bytes than the file holds.</exception>
    public static void Check(Stream stream)
    {
        if (Superblock(stream) is not { } superblock) return;
        if (Field(superblock, 32) is ({ } baseAddress, { } heapAddress))
            CheckHeap(stream, baseAddress, heapAddress);
    }

    /// <summary>The base address and the root group's object header address, or nulls when the superblock is not one we know.</summary>
    public static (long?, long?) RootEntry(Stream stream) => Superblock(stream) is { } superblock ? Field(superblock, 8) : (null, null);

    private static byte[]? Superblock(Stream stream)
    {
        var superblock = new byte[100];
        for (long offset = 0; offset + 8 <= stream.Length; offset = offset == 0 ? 512 : offset * 2)
        {
            stream.Position = offset;
            int read = stream.ReadAtLeast(superblock, superblock.Length, throwOnEndOfStream: false);
            if (read < 8 || !superblock.AsSpan(0, 8).SequenceEqual(Signature)) continue;
            return superblock[..read];
        }
        return null;
    }

    /// <summary>
    /// The base address and an 8-byte field of the root group's symbol-table entry (HDF5 spec §II.A, §III.C): at 8 its
    /// object header, at 32 (in the scratch pad of cache type 1) its local heap. Nulls when not known.
    /// </summary>
    private static (long?, long?) Field(ReadOnlySpan<byte> superblock, int fieldAt)
    {
        int version = superblock[8];
        // Version 0: four 8-byte addresses from byte 24, then the root entry; version 1 has 4 more bytes before them.
        int addressesAt = version switch { 0 => 24, 1 => 28, _ => -1 };
        if (addressesAt < 0 || superblock[13] != 8 || superblock[14] != 8) return (null, null);
        int entryAt = addressesAt + 32;
        if (superblock.Length < entryAt + 40) return (null, null);
        if (fieldAt >= 24 && BinaryPrimitives.ReadUInt32LittleEndian(superblock[(entryAt + 16)..]) != 1) return (null, null);
        ulong baseAddress = BinaryPrimitives.ReadUInt64LittleEndian(superblock[addressesAt..]);
        ulong field = BinaryPrimitives.ReadUInt64LittleEndian(superblock[(entryAt + fieldAt)..]);
        return baseAddress > long.MaxValue || field > long.MaxValue ? (null, null) : ((long)baseAddress, (long)field);
    }

    /// <exception cref="InvalidDataException">The local heap at <paramref name="heapAddress"/> declares more bytes than the file holds.</exception>
    public static void CheckHeap(Stream stream, long baseAddress, long heapAddress)
    {
        long at = baseAddress + heapAddress;
        Span<byte> header = stackalloc byte[32];
        if (heapAddress < 0 || at < 0 || at + header.Length > stream.Length) return;  // PureHDF reports an address past the end itself
        stream.Position = at;
        stream.ReadExactly(header);
        if (!header[..4].SequenceEqual("HEAP"u8)) return;
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        ulong dataAddress = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
        ulong length = (ulong)stream.Length;
        if (size > length || dataAddress > length || (ulong)baseAddress + dataAddress + size > length)
            throw new InvalidDataException(
                $"A group's name heap declares {size} bytes at offset {dataAddress}, more than a file of {length} bytes holds; the file is damaged.");
    }
}
