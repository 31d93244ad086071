namespace SleapPS.Fuzz.Mutations;

/// <summary>
/// HDF5 mutations aimed at object-header messages, found by their shape rather than by walking the file (cheap, and
/// a false match is just another mutation): dataspace dimensions made huge, datatype class and size changed (a wrong
/// dtype), and the superblock's addresses moved.
/// </summary>
public static class Hdf5Mutations
{
    public static readonly IReadOnlyList<string> Names = ["h5-dims", "h5-dtype", "h5-superblock"];

    public static byte[] Apply(byte[] original, string mutation, Random rng)
    {
        var copy = (byte[])original.Clone();
        switch (mutation)
        {
            case "h5-dims":
                var dims = DimensionOffsets(copy);
                if (dims.Count == 0) return BinaryMutations.HugeWord(copy, rng);
                var (at, rank) = dims[rng.Next(dims.Count)];
                BinaryMutations.WriteHuge(copy, at + 8 * rng.Next(rank), 8, rng.Next(3) == 0 ? (ulong)rng.Next(2, 100_000) : BinaryMutations.HugeValue(rng));
                return copy;
            case "h5-dtype":
                var types = DatatypeOffsets(copy);
                if (types.Count == 0) return BinaryMutations.Flip(copy, rng);
                int type = types[rng.Next(types.Count)];
                if (rng.Next(2) == 0)
                    copy[type] = (byte)((copy[type] & 0xF0) | rng.Next(11)); // another class: integer, float, string, compound...
                else
                    BinaryMutations.WriteHuge(copy, type + 4, 4, rng.Next(2) == 0 ? (ulong)rng.Next(0, 17) : BinaryMutations.HugeValue(rng));
                return copy;
            default: // h5-superblock: the base, free-space, end-of-file and root addresses of a version 0-3 superblock.
                if (copy.Length < 64) return copy;
                int version = copy[8];
                int addresses = version < 2 ? 24 : 12;
                BinaryMutations.WriteHuge(copy, addresses + 8 * rng.Next(4), 8, rng.Next(2) == 0 ? BinaryMutations.HugeValue(rng) : (ulong)rng.Next(copy.Length));
                return copy;
        }
    }

    /// <summary>Where the dimension sizes of what look like dataspace messages start, with their rank.</summary>
    private static List<(int At, int Rank)> DimensionOffsets(byte[] data)
    {
        var found = new List<(int, int)>();
        for (int i = 0; i + 40 < data.Length; i++)
        {
            // Version 1 object header: type 0x0001 (2 bytes), size (2), flags (1), reserved (3), then version 1, rank, flags, reserved (5).
            if (data[i] == 0x01 && data[i + 1] == 0 && data[i + 8] == 1 && data[i + 9] is >= 1 and <= 4 && data[i + 11] == 0 && data[i + 12] == 0)
                found.Add((i + 16, data[i + 9]));
            // Version 2 object header: type 0x01 (1 byte), size (2), flags (1), then version 2, rank, flags, type 1 (simple).
            else if (data[i] == 0x01 && data[i + 4] == 2 && data[i + 5] is >= 1 and <= 4 && data[i + 7] == 1)
                found.Add((i + 8, data[i + 5]));
        }
        return found;
    }

    /// <summary>Where what look like datatype messages start (their class-and-version byte).</summary>
    private static List<int> DatatypeOffsets(byte[] data)
    {
        var found = new List<int>();
        for (int i = 0; i + 16 < data.Length; i++)
        {
            int body = i + 8;
            if (data[i] == 0x03 && data[i + 1] == 0 && (data[body] >> 4) is >= 1 and <= 3 && (data[body] & 0x0F) <= 10)
                found.Add(body);
        }
        return found;
    }
}
