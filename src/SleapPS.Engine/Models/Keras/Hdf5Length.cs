using System.Buffers.Binary;

namespace SleapPS.Engine.Models.Keras;

/// <summary>
/// The length an HDF5 file declares in its superblock ("end of file address", HDF5 spec §II.A).
/// A file shorter than that was cut off; PureHDF would still read whatever lies in the part that
/// is present (in Keras files the weights come before the optimizer state), so the check is explicit.
/// </summary>
internal static class Hdf5Length
{
    /// <summary>The declared length, or null when the superblock is not one we know (then nothing is checked).</summary>
    public static long? Declared(Stream stream)
    {
        Span<byte> signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];
        Span<byte> header = stackalloc byte[96];
        for (long offset = 0; offset + 8 <= stream.Length; offset = offset == 0 ? 512 : offset * 2)
        {
            stream.Position = offset;
            int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read < 8 || !header[..8].SequenceEqual(signature)) continue;
            return Parse(header[..read]);
        }
        return null;
    }

    private static long? Parse(ReadOnlySpan<byte> header)
    {
        int version = header[8];
        // Versions 0/1: fixed fields, then base, free-space, EOF and driver addresses; 2/3: base, extension, EOF.
        (int sizeOfOffsets, int addressesAt, int eofIndex) = version switch
        {
            0 => (header[13], 24, 2),
            1 => (header[13], 28, 2),
            2 or 3 => (header[9], 12, 2),
            _ => (0, 0, 0),
        };
        if (sizeOfOffsets != 8 || header.Length < addressesAt + 8 * (eofIndex + 1))
            return null;
        ulong baseAddress = BinaryPrimitives.ReadUInt64LittleEndian(header[addressesAt..]);
        ulong endOfFile = BinaryPrimitives.ReadUInt64LittleEndian(header[(addressesAt + 8 * eofIndex)..]);
        return endOfFile == ulong.MaxValue || baseAddress == ulong.MaxValue ? null : (long)(baseAddress + endOfFile);
    }
}
