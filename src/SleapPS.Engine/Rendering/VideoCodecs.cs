namespace SleapPS.Engine.Rendering;

/// <summary>
/// The video codecs OpenCvSharp's FFmpeg build writes, per container, first the default. Each was
/// checked by writing a video and decoding it back (see the rendering tests, which do so for every
/// entry). H.264 (avc1/H264) is not in that build.
/// </summary>
public static class VideoCodecs
{
    private static readonly Dictionary<string, string[]> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        // MPEG-4 Part 2 is the only codec native to MP4 here; MJPG and XVID go in with the mp4v tag.
        [".mp4"] = ["mp4v", "MJPG", "XVID"],
        // MJPG by default: every frame stands alone (no smearing between frames) and every player reads it.
        // FFV1 is lossless (large files).
        [".avi"] = ["MJPG", "mp4v", "XVID", "FFV1"],
    };

    /// <summary>The extensions a video can be written to.</summary>
    public static IReadOnlyCollection<string> Extensions => ByExtension.Keys;

    /// <summary>True when <paramref name="extension"/> (with its dot) is a video container this library writes.</summary>
    public static bool IsVideoExtension(string extension) => ByExtension.ContainsKey(extension);

    /// <summary>The codecs that work for a container extension (with its dot), the default first.</summary>
    public static IReadOnlyList<string> For(string extension) =>
        ByExtension.TryGetValue(extension, out var codecs) ? codecs : [];

    /// <summary>
    /// The codec to write <paramref name="path"/> with: the extension's default when
    /// <paramref name="requested"/> is null, else the requested one in its usual spelling.
    /// </summary>
    public static string Choose(string path, string? requested)
    {
        string extension = System.IO.Path.GetExtension(path);
        var codecs = For(extension);
        if (codecs.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot write a video to '{path}': its extension '{extension}' is none of {string.Join(", ", Extensions)}.", path);
        if (requested is null) return codecs[0];
        return codecs.FirstOrDefault(c => c.Equals(requested.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw Unavailable(requested, path);
    }

    /// <summary>The error for a codec that cannot write <paramref name="path"/>, listing those that can.</summary>
    internal static SleapException Unavailable(string codec, string path)
    {
        string extension = System.IO.Path.GetExtension(path);
        var elsewhere = ByExtension.Where(e => !e.Key.Equals(extension, StringComparison.OrdinalIgnoreCase)
                                               && e.Value.Contains(codec.Trim(), StringComparer.OrdinalIgnoreCase))
                                   .Select(e => e.Key).ToList();
        return new SleapException(SleapErrorKind.NotSupported,
            $"The codec '{codec}' cannot write '{path}'. Codecs that work for {extension} files here: {string.Join(", ", For(extension))}." +
            (elsewhere.Count > 0 ? $" '{codec}' works for {string.Join(", ", elsewhere)} files." : ""),
            path);
    }
}
