namespace SleapPS.Fuzz.Mutations;

/// <summary>
/// Protobuf (ONNX) mutations: a length-delimited field's length made huge (a varint written over the bytes after a
/// field tag of wire type 2), and a varint made endless (every continuation bit set).
/// </summary>
public static class ProtobufMutations
{
    public static readonly IReadOnlyList<string> Names = ["protobuf-length", "protobuf-varint"];

    public static byte[] Apply(byte[] original, string mutation, Random rng)
    {
        var copy = (byte[])original.Clone();
        // Tags of wire type 2 (length-delimited) with a small field number: strings, bytes, nested messages.
        var tags = Enumerable.Range(0, copy.Length - 11).Where(i => (copy[i] & 0x07) == 2 && copy[i] >> 3 is >= 1 and <= 15).ToList();
        if (tags.Count == 0) return BinaryMutations.Flip(copy, rng);
        int at = tags[rng.Next(tags.Count)] + 1;
        if (mutation == "protobuf-length")
        {
            ulong length = rng.Next(2) == 0 ? BinaryMutations.HugeValue(rng) : (ulong)rng.Next(copy.Length * 2);
            for (int i = 0; i < 10 && at + i < copy.Length; i++)
            {
                copy[at + i] = (byte)((length & 0x7F) | (i < 9 && length >> 7 != 0 ? 0x80UL : 0));
                length >>= 7;
                if ((copy[at + i] & 0x80) == 0) break;
            }
        }
        else
        {
            copy.AsSpan(at, Math.Min(rng.Next(1, 32), copy.Length - at)).Fill(0xFF);
        }
        return copy;
    }
}
