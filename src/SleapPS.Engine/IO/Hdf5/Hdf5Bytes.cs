using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Reads byte ranges of an HDF5 file by address (relative to the superblock's base address) for the pre-checks
/// (docs/design/reliability.md §3). A range that is not wholly inside the file reads as null: the pre-checks leave
/// such damage to PureHDF, which reports an address past the end itself without allocating for it.
/// </summary>
internal sealed class Hdf5Bytes(Stream stream, long baseAddress)
{
    /// <summary>The most bytes one read may ask for; no structure the pre-checks read is larger.</summary>
    public const int MaxRead = 1 << 24;

    public long Length { get; } = stream.Length;

    public long BaseAddress => baseAddress;

    public Stream Stream => stream;

    /// <summary>True when <paramref name="count"/> bytes at <paramref name="address"/> lie inside the file.</summary>
    public bool Holds(ulong address, ulong count) =>
        address <= (ulong)Length && count <= (ulong)Length && (ulong)baseAddress + address + count <= (ulong)Length;

    public byte[]? Read(long address, long count)
    {
        if (address < 0 || count < 0 || count > MaxRead || !Holds((ulong)address, (ulong)count)) return null;
        var buffer = new byte[count];
        stream.Position = baseAddress + address;
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Up to <paramref name="count"/> bytes at <paramref name="address"/>, fewer where the file ends first.</summary>
    public byte[]? ReadUpTo(long address, int count)
    {
        long at = baseAddress + address;
        if (address < 0 || at < 0 || at >= Length) return null;
        return Read(address, Math.Min(count, Length - at));
    }

    /// <summary>A little-endian unsigned integer of 1-8 bytes.</summary>
    public static ulong Unsigned(ReadOnlySpan<byte> bytes, int width)
    {
        Span<byte> eight = stackalloc byte[8];
        eight.Clear();
        bytes[..width].CopyTo(eight);
        return BinaryPrimitives.ReadUInt64LittleEndian(eight);
    }

    /// <summary>An address field, or -1 for HDF5's undefined address or one no file can hold.</summary>
    public static long Address(ReadOnlySpan<byte> bytes)
    {
        ulong address = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return address > long.MaxValue ? -1 : (long)address;
    }
}
