using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// A global heap collection ("GCOL"): where HDF5 keeps variable-length strings and sequences
/// (docs/design/reliability.md §3). PureHDF decodes a whole collection the first time one of its objects is read and
/// allocates each object at its declared size; the collection must lie inside the file and each object fit in what is
/// left of it.
/// </summary>
internal static class GlobalHeapCollection
{
    private const int Header = 16;  // "GCOL", version, 3 reserved, the collection's size

    /// <exception cref="InvalidDataException">The collection runs past the file's end, or an object past the collection's.</exception>
    public static void Check(Hdf5Bytes file, long address)
    {
        if (file.Read(address, Header) is not { } header || !header.AsSpan(0, 4).SequenceEqual("GCOL"u8) || header[4] != 1) return;
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(8));
        if (!file.Holds((ulong)address, size))
            throw FileEndsEarly.Exception(
                $"A global heap collection (where variable-length strings are kept) declares {size} bytes at offset {address}, " +
                $"past the end of a file of {file.Length} bytes");
        if (file.Read(address, (long)Math.Min(size, Hdf5Bytes.MaxRead)) is not { } bytes) return;
        // Each object: its index (0 marks the free space that ends the list), a reference count, 4 reserved bytes, its
        // size, then its data padded to a multiple of 8.
        for (long at = Header; at + Header <= bytes.Length;)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)at)) == 0) return;
            ulong objectSize = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at + 8));
            ulong left = size - (ulong)at - Header;
            if (objectSize > left)
                throw new InvalidDataException(
                    $"A variable-length value in a global heap collection declares {objectSize} bytes, more than the {left} bytes " +
                    $"left in its collection of {size} bytes; the file is damaged.");
            at += Header + (long)((objectSize + 7) & ~7UL);
        }
    }
}
