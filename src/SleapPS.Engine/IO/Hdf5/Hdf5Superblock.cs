using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// The parts of an HDF5 superblock the pre-checks need (docs/design/reliability.md §3): where addresses start, the
/// root group's object header, and for version 0/1 the root group's local heap (from the root symbol-table entry's
/// scratch pad). Versions 0-3 with 8-byte offsets and lengths are read (h5py and PureHDF write nothing else); for
/// anything else <see cref="Find"/> gives null and nothing is checked, leaving PureHDF to report the file.
/// </summary>
internal readonly record struct Hdf5Superblock(int Version, long BaseAddress, long RootObjectHeader, long? RootNameHeap, long? Extension)
{
    /// <summary>HDF5's "undefined address": all bits set.</summary>
    public const ulong Undefined = ulong.MaxValue;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    public static Hdf5Superblock? Find(Stream stream)
    {
        var bytes = new byte[100];
        for (long offset = 0; offset + 8 <= stream.Length; offset = offset == 0 ? 512 : offset * 2)
        {
            stream.Position = offset;
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read >= 8 && bytes.AsSpan(0, 8).SequenceEqual(Signature))
                return Parse(bytes.AsSpan(0, read));
        }
        return null;
    }

    private static Hdf5Superblock? Parse(ReadOnlySpan<byte> superblock)
    {
        if (superblock.Length < 9) return null;
        return superblock[8] switch
        {
            0 or 1 => Version01(superblock),
            2 or 3 => Version23(superblock),
            _ => null,
        };
    }

    /// <summary>
    /// Versions 0/1: sizes at 13/14; four addresses from byte 24 (28 in version 1), the root symbol-table entry after
    /// them (its object header at 8, cache type at 16, the local heap at 32 when the cache type is 1).
    /// </summary>
    private static Hdf5Superblock? Version01(ReadOnlySpan<byte> superblock)
    {
        int addressesAt = superblock[8] == 0 ? 24 : 28, entryAt = addressesAt + 32;
        if (superblock[13] != 8 || superblock[14] != 8 || superblock.Length < entryAt + 40) return null;
        ulong baseAddress = BinaryPrimitives.ReadUInt64LittleEndian(superblock[addressesAt..]);
        ulong root = BinaryPrimitives.ReadUInt64LittleEndian(superblock[(entryAt + 8)..]);
        bool cached = BinaryPrimitives.ReadUInt32LittleEndian(superblock[(entryAt + 16)..]) == 1;
        ulong heap = BinaryPrimitives.ReadUInt64LittleEndian(superblock[(entryAt + 32)..]);
        if (baseAddress > long.MaxValue || root > long.MaxValue) return null;
        return new Hdf5Superblock(superblock[8], (long)baseAddress, (long)root, cached && heap <= long.MaxValue ? (long)heap : null, null);
    }

    /// <summary>Versions 2/3: sizes at 9/10, then the base address, the extension's object header, end of file, root object header.</summary>
    private static Hdf5Superblock? Version23(ReadOnlySpan<byte> superblock)
    {
        if (superblock[9] != 8 || superblock[10] != 8 || superblock.Length < 44) return null;
        ulong baseAddress = BinaryPrimitives.ReadUInt64LittleEndian(superblock[12..]);
        ulong extension = BinaryPrimitives.ReadUInt64LittleEndian(superblock[20..]);
        ulong root = BinaryPrimitives.ReadUInt64LittleEndian(superblock[36..]);
        if (baseAddress > long.MaxValue || root > long.MaxValue) return null;
        return new Hdf5Superblock(superblock[8], (long)baseAddress, (long)root, null, extension <= long.MaxValue ? (long)extension : null);
    }
}
