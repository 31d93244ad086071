using System.Buffers.Binary;

namespace SleapPS.Fuzz.Mutations;

/// <summary>Mutations blind to the format: cuts, flipped bits, zeroed, repeated and swapped blocks, huge numbers.</summary>
public static class BinaryMutations
{
    /// <summary>Values a reader might take for a size or count: the edges of signed and unsigned integers, and merely huge.</summary>
    public static readonly ulong[] HugeValues =
    [
        0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 1UL << 40, 1UL << 32, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000,
        0x10000000, 0xFFFF, 0,
    ];

    public static ulong HugeValue(Random rng) => HugeValues[rng.Next(HugeValues.Length)];

    /// <summary>The file cut short: anywhere, or (half the time) within its last 10%, where trailing data and indexes live.</summary>
    public static byte[] Truncate(byte[] data, Random rng)
    {
        int length = rng.Next(2) == 0 ? rng.Next(data.Length) : data.Length - 1 - rng.Next(Math.Max(1, data.Length / 10));
        return data[..Math.Max(0, length)];
    }

    public static byte[] Flip(byte[] data, Random rng)
    {
        var copy = (byte[])data.Clone();
        int flips = 1 + rng.Next(16);
        for (int i = 0; i < flips && copy.Length > 0; i++)
            copy[rng.Next(copy.Length)] ^= (byte)(1 + rng.Next(255));
        return copy;
    }

    public static byte[] ZeroBlock(byte[] data, Random rng)
    {
        var copy = (byte[])data.Clone();
        if (copy.Length == 0) return copy;
        int start = rng.Next(copy.Length);
        int length = Math.Min(copy.Length - start, 1 + rng.Next(rng.Next(2) == 0 ? 64 : 4096));
        Array.Clear(copy, start, length);
        return copy;
    }

    /// <summary>A block of the file inserted again elsewhere (everything after it moves).</summary>
    public static byte[] DuplicateChunk(byte[] data, Random rng)
    {
        if (data.Length == 0) return data;
        int start = rng.Next(data.Length);
        int length = Math.Min(data.Length - start, 1 + rng.Next(4096));
        int at = rng.Next(data.Length + 1);
        return [.. data.AsSpan(0, at), .. data.AsSpan(start, length), .. data.AsSpan(at)];
    }

    /// <summary>Two equal blocks swapped.</summary>
    public static byte[] ShuffleChunks(byte[] data, Random rng)
    {
        var copy = (byte[])data.Clone();
        int length = 1 + rng.Next(Math.Max(1, Math.Min(4096, copy.Length / 2)));
        if (copy.Length < 2 * length) return copy;
        int a = rng.Next(copy.Length - length + 1);
        int b = rng.Next(copy.Length - length + 1);
        var temp = copy.AsSpan(a, length).ToArray();
        copy.AsSpan(b, length).CopyTo(copy.AsSpan(a, length));
        temp.CopyTo(copy.AsSpan(b, length));
        return copy;
    }

    /// <summary>A 4- or 8-byte word somewhere, aligned, overwritten with a huge value in either byte order.</summary>
    public static byte[] HugeWord(byte[] data, Random rng)
    {
        var copy = (byte[])data.Clone();
        int width = rng.Next(2) == 0 ? 4 : 8;
        if (copy.Length < width) return copy;
        int at = rng.Next(copy.Length / width) * width;
        WriteHuge(copy, at, width, HugeValue(rng), bigEndian: rng.Next(4) == 0);
        return copy;
    }

    /// <summary>Writes <paramref name="value"/> (cut to <paramref name="width"/> bytes) at <paramref name="at"/>.</summary>
    public static void WriteHuge(byte[] data, int at, int width, ulong value, bool bigEndian = false)
    {
        if (at < 0 || at + width > data.Length) return;
        var span = data.AsSpan(at, width);
        switch (width, bigEndian)
        {
            case (8, false): BinaryPrimitives.WriteUInt64LittleEndian(span, value); break;
            case (8, true): BinaryPrimitives.WriteUInt64BigEndian(span, value); break;
            case (4, false): BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)value); break;
            case (4, true): BinaryPrimitives.WriteUInt32BigEndian(span, (uint)value); break;
            case (2, false): BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value); break;
            case (2, true): BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value); break;
            default: span.Fill((byte)value); break;
        }
    }

    /// <summary>Every offset where <paramref name="pattern"/> occurs.</summary>
    public static List<int> FindAll(byte[] data, ReadOnlySpan<byte> pattern)
    {
        var found = new List<int>();
        for (int i = data.AsSpan().IndexOf(pattern); i >= 0;)
        {
            found.Add(i);
            int next = data.AsSpan(i + 1).IndexOf(pattern);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return found;
    }
}
