using System.IO.Compression;

namespace SleapPS.Fuzz.Mutations;

/// <summary>
/// Mutations of a PyTorch checkpoint (a zip of a pickle and raw storages): the zip's own size, name-length and count
/// fields, and the pickle's integers (tensor sizes, strides, storage offsets and element counts) rewritten through a
/// fresh zip so that the CRCs still match and the reader gets past the container to the numbers.
/// </summary>
public static class ZipMutations
{
    public static readonly IReadOnlyList<string> Names = ["zip-entry-size", "zip-name-length", "zip-directory", "pickle-int", "pickle-flip"];

    private static readonly byte[] LocalHeader = "PK\u0003\u0004"u8.ToArray();
    private static readonly byte[] CentralHeader = "PK\u0001\u0002"u8.ToArray();
    private static readonly byte[] EndOfDirectory = "PK\u0005\u0006"u8.ToArray();

    public static byte[] Apply(byte[] original, string mutation, Random rng)
    {
        var copy = (byte[])original.Clone();
        switch (mutation)
        {
            case "zip-entry-size":
            {
                // Local header: compressed size at 18, uncompressed at 22; central header: at 20 and 24.
                var (at, central) = PickHeader(copy, rng);
                if (at < 0) return BinaryMutations.HugeWord(copy, rng);
                BinaryMutations.WriteHuge(copy, at + (central ? 20 : 18) + 4 * rng.Next(2), 4, SizeValue(rng, original.Length));
                return copy;
            }
            case "zip-name-length":
            {
                // Local header: name length at 26, extra length at 28; central header: at 28, 30 (and comment length at 32).
                var (at, central) = PickHeader(copy, rng);
                if (at < 0) return BinaryMutations.HugeWord(copy, rng);
                BinaryMutations.WriteHuge(copy, at + (central ? 28 : 26) + 2 * rng.Next(central ? 3 : 2), 2, (ulong)rng.Next(65536));
                return copy;
            }
            case "zip-directory":
            {
                // End of central directory: entry counts at 8 and 10, directory size at 12, its offset at 16.
                var ends = BinaryMutations.FindAll(copy, EndOfDirectory);
                if (ends.Count == 0) return BinaryMutations.HugeWord(copy, rng);
                int field = rng.Next(4);
                int end = ends[^1];
                if (field < 2) BinaryMutations.WriteHuge(copy, end + 8 + 2 * field, 2, (ulong)rng.Next(65536));
                else BinaryMutations.WriteHuge(copy, end + 12 + 4 * (field - 2), 4, SizeValue(rng, original.Length));
                return copy;
            }
            default:
                return RewritePickle(original, mutation, rng);
        }
    }

    private static ulong SizeValue(Random rng, int fileLength) =>
        rng.Next(2) == 0 ? BinaryMutations.HugeValue(rng) : (ulong)rng.Next(fileLength * 2 + 1);

    private static (int At, bool Central) PickHeader(byte[] data, Random rng)
    {
        var local = BinaryMutations.FindAll(data, LocalHeader);
        var central = BinaryMutations.FindAll(data, CentralHeader);
        if (local.Count + central.Count == 0) return (-1, false);
        int pick = rng.Next(local.Count + central.Count);
        return pick < local.Count ? (local[pick], false) : (central[pick - local.Count], true);
    }

    /// <summary>The checkpoint with its data.pkl changed and every entry stored again, so that the zip stays valid.</summary>
    private static byte[] RewritePickle(byte[] original, string mutation, Random rng)
    {
        using var input = new ZipArchive(new MemoryStream(original), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var read = entry.Open();
                using var buffer = new MemoryStream();
                read.CopyTo(buffer);
                byte[] bytes = buffer.ToArray();
                if (entry.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
                    bytes = mutation == "pickle-int" ? PickleInt(bytes, rng) : BinaryMutations.Flip(bytes, rng);
                using var write = zip.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                write.Write(bytes);
            }
        }
        return output.ToArray();
    }

    /// <summary>One pickled integer (BININT 'J', BININT1 'K', BININT2 'M') set to a huge or odd value.</summary>
    private static byte[] PickleInt(byte[] pickle, Random rng)
    {
        var ints = Enumerable.Range(0, pickle.Length).Where(i => pickle[i] is (byte)'J' or (byte)'K' or (byte)'M').ToList();
        if (ints.Count == 0) return BinaryMutations.Flip(pickle, rng);
        var copy = (byte[])pickle.Clone();
        int at = ints[rng.Next(ints.Count)];
        int width = copy[at] switch { (byte)'J' => 4, (byte)'M' => 2, _ => 1 };
        ulong value = rng.Next(3) switch { 0 => BinaryMutations.HugeValue(rng), 1 => (ulong)rng.Next(0, 3), _ => (ulong)rng.Next() };
        BinaryMutations.WriteHuge(copy, at + 1, width, value);
        return copy;
    }
}
