using System.Text;

namespace SleapPS.Fuzz.Mutations;

/// <summary>
/// Video container mutations: an MP4 box's size or a sample table's entry count made huge or small, and an AVI
/// chunk's size or its header's frame count changed.
/// </summary>
public static class MediaMutations
{
    public static readonly IReadOnlyList<string> Mp4Names = ["mp4-box-size", "mp4-table-count"];
    public static readonly IReadOnlyList<string> AviNames = ["avi-chunk-size", "avi-frame-count"];

    private static readonly string[] Boxes = ["moov", "trak", "mdia", "minf", "stbl", "stsd", "avc1", "avcC", "mdat", "mvhd", "tkhd", "mdhd", "hdlr", "stts", "stsc", "stsz", "stco", "stss", "ctts", "edts", "elst"];
    private static readonly string[] Tables = ["stts", "stsc", "stsz", "stco", "stss", "ctts", "elst"];
    private static readonly string[] Chunks = ["RIFF", "LIST", "avih", "strh", "strf", "movi", "idx1", "00dc", "00db"];

    public static byte[] Apply(byte[] original, string mutation, Random rng)
    {
        var copy = (byte[])original.Clone();
        switch (mutation)
        {
            case "mp4-box-size":
            {
                var boxes = Find(copy, Boxes, before: 4);
                if (boxes.Count == 0) return BinaryMutations.HugeWord(copy, rng);
                BinaryMutations.WriteHuge(copy, boxes[rng.Next(boxes.Count)] - 4, 4, SmallOrHuge(rng), bigEndian: true);
                return copy;
            }
            case "mp4-table-count":
            {
                // A full box: type, version and flags (4), then the entry count; stsz has a sample size before its count.
                var tables = Find(copy, Tables, before: 4);
                if (tables.Count == 0) return BinaryMutations.HugeWord(copy, rng);
                int at = tables[rng.Next(tables.Count)];
                int count = at + 8 + (Encoding.ASCII.GetString(copy, at, 4) == "stsz" ? 4 * rng.Next(2) : 0);
                BinaryMutations.WriteHuge(copy, count, 4, SmallOrHuge(rng), bigEndian: true);
                return copy;
            }
            case "avi-chunk-size":
            {
                var chunks = Find(copy, Chunks, before: 0);
                if (chunks.Count == 0) return BinaryMutations.HugeWord(copy, rng);
                BinaryMutations.WriteHuge(copy, chunks[rng.Next(chunks.Count)] + 4, 4, SmallOrHuge(rng));
                return copy;
            }
            default: // avi-frame-count: dwTotalFrames in avih, or dwLength in a stream header.
            {
                var headers = Find(copy, ["avih", "strh"], before: 0);
                if (headers.Count == 0) return BinaryMutations.HugeWord(copy, rng);
                int at = headers[rng.Next(headers.Count)];
                int field = Encoding.ASCII.GetString(copy, at, 4) == "avih" ? 8 + 16 : 8 + 32;
                BinaryMutations.WriteHuge(copy, at + field, 4, SmallOrHuge(rng));
                return copy;
            }
        }
    }

    private static ulong SmallOrHuge(Random rng) => rng.Next(2) == 0 ? (ulong)rng.Next(0, 16) : BinaryMutations.HugeValue(rng);

    private static List<int> Find(byte[] data, IEnumerable<string> fourccs, int before) =>
        fourccs.SelectMany(f => BinaryMutations.FindAll(data, Encoding.ASCII.GetBytes(f))).Where(i => i >= before).ToList();
}
