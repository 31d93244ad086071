using System.Buffers.Binary;
using System.Text;

namespace SleapPS.Engine.Frames;

/// <summary>
/// Whether a movie's frames are evenly spaced in time, read without decoding: an AVI numbers its frames by their place
/// in the stream; an mp4 / mov says how long each frame lasts in its sample table ('stts'). OpenCV's frame seek turns a
/// frame number into a time at the file's frame rate, which lands on that frame only when the frames are evenly spaced
/// (docs/design/reliability.md §5).
/// </summary>
internal static class FrameTiming
{
    /// <summary>Boxes that hold the boxes on the way to the sample table.</summary>
    private static readonly string[] PathToTracks = ["moov"];
    private static readonly string[] PathToTimes = ["mdia", "minf", "stbl", "stts"];

    /// <summary>
    /// True for an AVI, and for an mp4 / mov whose video tracks' frames all last as long (the last frame excepted: its
    /// duration places no frame); false when some do not, or for any other file (Matroska, MPEG-TS, fragmented mp4...):
    /// only a table can say that the frames are even without decoding them.
    /// </summary>
    public static bool IsEvenlySpaced(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.RandomAccess);
            Span<byte> riff = stackalloc byte[12];
            if (file.Length >= 12)
            {
                file.ReadExactly(riff);
                if (riff[..4].SequenceEqual("RIFF"u8) && riff[8..].SequenceEqual("AVI "u8)) return true;
            }
            var moov = FindPath(file, 0, file.Length, PathToTracks);
            if (moov is not var (start, end)) return false;
            bool anyVideo = false;
            foreach (var (trakStart, trakEnd) in Children(file, start, end, "trak"))
            {
                if (!IsVideoTrack(file, trakStart, trakEnd)) continue;
                anyVideo = true;
                if (FindPath(file, trakStart, trakEnd, PathToTimes) is not var (sttsStart, sttsEnd) || !DurationsEqual(file, sttsStart, sttsEnd))
                    return false;
            }
            return anyVideo;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsVideoTrack(FileStream file, long trakStart, long trakEnd)
    {
        // mdia/hdlr: version and flags (4), pre_defined (4), handler type (4).
        if (FindPath(file, trakStart, trakEnd, ["mdia", "hdlr"]) is not var (start, end) || end - start < 12) return false;
        Span<byte> handler = stackalloc byte[4];
        file.Position = start + 8;
        file.ReadExactly(handler);
        return handler.SequenceEqual("vide"u8);
    }

    /// <summary>stts: version and flags (4), entry count (4), then (sample count, sample duration) pairs.</summary>
    private static bool DurationsEqual(FileStream file, long start, long end)
    {
        if (end - start < 8) return false;
        Span<byte> word = stackalloc byte[8];
        file.Position = start + 4;
        file.ReadExactly(word[..4]);
        long entries = BinaryPrimitives.ReadUInt32BigEndian(word);
        // The count is the file's claim: it must fit in the box before it is believed.
        if (entries == 0 || entries > (end - start - 8) / 8) return false;
        uint? duration = null;
        for (long i = 0; i < entries; i++)
        {
            file.ReadExactly(word);
            uint count = BinaryPrimitives.ReadUInt32BigEndian(word);
            uint delta = BinaryPrimitives.ReadUInt32BigEndian(word[4..]);
            // The very last frame's duration places no frame: a final entry of one frame may differ.
            if (i == entries - 1 && count == 1 && duration is not null) break;
            if (count == 0) continue;
            if (duration is null) duration = delta;
            else if (delta != duration) return false;
        }
        return duration is > 0;
    }

    /// <summary>The payload (start, end) of the box reached by following <paramref name="path"/> from a range of boxes.</summary>
    private static (long Start, long End)? FindPath(FileStream file, long start, long end, string[] path)
    {
        foreach (string name in path)
        {
            var found = Children(file, start, end, name).FirstOrDefault((-1L, -1L));
            if (found.Item1 < 0) return null;
            (start, end) = found;
        }
        return (start, end);
    }

    /// <summary>The payloads of the boxes named <paramref name="name"/> directly in [start, end).</summary>
    private static IEnumerable<(long Start, long End)> Children(FileStream file, long start, long end, string name)
    {
        byte[] header = new byte[16];
        long at = start;
        while (end - at >= 8)
        {
            file.Position = at;
            file.ReadExactly(header, 0, 8);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            string type = Encoding.ASCII.GetString(header, 4, 4);
            int headerSize = 8;
            if (size == 1)
            {
                if (end - at < 16) yield break;
                file.ReadExactly(header, 8, 8);
                size = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8)), long.MaxValue);
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = end - at;   // to the end of the enclosing range
            }
            if (size < headerSize || size > end - at) yield break;   // a damaged size: no table to trust
            if (type == name) yield return (at + headerSize, at + size);
            at += size;
        }
    }
}
