using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Checks the root group's local heap (the block that holds its link names) against the file's real size before
/// PureHDF opens the file (docs/design/reliability.md §3). PureHDF allocates a heap's whole declared data segment,
/// up to 2 GB, the first time it looks up a name; a damaged size field would cost that much memory before the read
/// fails. Files with a version 0 or 1 superblock (every SLEAP file h5py writes) name the heap in the root group's
/// symbol-table entry; version 2/3 superblocks have no such entry (their groups are checked by <see cref="AttributeSizes"/>).
/// </summary>
internal static class RootLocalHeap
{
    /// <exception cref="InvalidDataException">The root group's heap declares more bytes than the file holds.</exception>
    public static void Check(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Check(stream);
    }

    /// <exception cref="InvalidDataException">The root group's heap declares more bytes than the file holds.</exception>
    public static void Check(Stream stream)
    {
        if (Hdf5Superblock.Find(stream) is { RootNameHeap: { } heap } superblock)
            CheckHeap(stream, superblock.BaseAddress, heap);
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
