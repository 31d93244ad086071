namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Recognises HDF5 files by their 8-byte signature, which sits at offset 0 or, after a user block,
/// at 512, 1024, 2048, ... (HDF5 spec, "Format Signature").
/// </summary>
public static class Hdf5Signature
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsHdf5(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return IsHdf5(stream);
    }

    public static bool IsHdf5(Stream stream)
    {
        Span<byte> buffer = stackalloc byte[8];
        for (long offset = 0; offset + 8 <= stream.Length; offset = offset == 0 ? 512 : offset * 2)
        {
            stream.Position = offset;
            stream.ReadExactly(buffer);
            if (buffer.SequenceEqual(Signature)) return true;
        }
        return false;
    }
}
