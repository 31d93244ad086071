using System.Text.Json.Nodes;
using OpenCvSharp;
using PureHDF;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO.Hdf5;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.IO.Package;

/// <summary>Progress of a package export: frames encoded so far out of all frames to embed.</summary>
public readonly record struct PackageProgress(long FramesEncoded, long FramesTotal);

/// <summary>
/// Writes labels as a SLEAP package (.pkg.slp): a .slp file (<see cref="SlpWriter"/>) that also carries
/// the images of chosen frames, PNG-encoded, one group per video, as SLEAP 1.4 writes it
/// (docs/design/file-formats.md §11), so that SLEAP, sleap-io and this module open it without the videos.
/// </summary>
public static class PackageSlpWriter
{
    /// <summary>
    /// Writes <paramref name="labels"/> and the frames <paramref name="which"/> names to <paramref name="path"/>
    /// (complete or absent). Every labelled frame is kept; a video with frames to embed is stored as
    /// <c>video{k}/video</c> of this file, with its original entry kept in <c>video{k}/source_video</c>.
    /// </summary>
    /// <exception cref="SleapException">A video with frames to embed cannot be opened (NotFound, NotSupported,
    /// InvalidData), a frame index is outside its video (InvalidArgument), or the file cannot be written.</exception>
    public static void Write(Labels labels, string path, EmbeddedFrames which,
        IProgress<PackageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var scope = ReferencedLabels.Of(labels);
        var selection = EmbeddedFrameSelection.Select(scope, which);
        long total = selection.Values.Sum(f => (long)f.Length);
        long done = 0;

        var builder = new H5FileBuilder();
        var overrides = new Dictionary<Video, JsonObject>();
        for (int k = 0; k < scope.Videos.Count; k++)
        {
            var video = scope.Videos[k];
            if (!selection.TryGetValue(video, out var frameIndices)) continue;
            string group = $"video{k}";
            var encoded = EncodeFrames(video, frameIndices, path, cancellationToken,
                () => progress?.Report(new PackageProgress(++done, total)));
            builder.Root[group] = new H5Group
            {
                ["video"] = EncodedFramesDataset(builder, encoded),
                ["frame_numbers"] = new H5Dataset(frameIndices),
                ["source_video"] = new H5Group
                {
                    Attributes = new() { ["json"] = builder.VariableLengthStringAttribute(
                        SlpWriter.Compact(SourceVideoJson(video, path))) },
                },
            };
            overrides[video] = EmbeddedVideoJson(group);
        }

        SlpWriter.AddHeader(builder, scope, path, overrides);
        var tables = SlpTables.Build(scope, path);
        builder.Root["points"] = H5FileBuilder.Table(tables.Points);
        builder.Root["pred_points"] = H5FileBuilder.Table(tables.PredictedPoints);
        builder.Root["instances"] = H5FileBuilder.Table(tables.Instances);
        builder.Root["frames"] = H5FileBuilder.Table(tables.Frames);
        AtomicFile.Write(path, builder.Write);
    }

    /// <summary>
    /// The original video's entry, stored as the package finds it. Frames re-embedded from another package keep that
    /// package's record of their original video rather than pointing at the old package.
    /// </summary>
    private static JsonObject SourceVideoJson(Video video, string path)
    {
        var original = video.SourceVideo ?? video;
        return VideoJson.Encode(original, VideoPathResolver.PathToStore(original, path));
    }

    /// <summary>The video entry SLEAP writes for embedded frames: "." is the package itself.</summary>
    private static JsonObject EmbeddedVideoJson(string group) => new()
    {
        ["backend"] = new JsonObject
        {
            ["filename"] = ".",
            ["dataset"] = group + "/video",
            ["input_format"] = "channels_last",
            ["convert_range"] = false,
        },
    };

    private sealed record EncodedFrames(List<byte[]> Rows, int Height, int Width, int Channels);

    /// <summary>
    /// PNG bytes of each frame. The frames are SLEAP's arrays (RGB); OpenCV encodes them as if they were BGR, as
    /// SLEAP does, so decoding with OpenCV and no channel swap gives back SLEAP's array.
    /// </summary>
    private static EncodedFrames EncodeFrames(Video video, long[] frameIndices, string path, CancellationToken cancellationToken, Action frameDone)
    {
        using var source = FrameSources.Open(video);
        var pixels = new byte[source.FrameByteCount];
        var rows = new List<byte[]>(frameIndices.Length);
        foreach (long frameIndex in frameIndices)
        {
            cancellationToken.ThrowIfCancellationRequested();
            source.ReadFrame(frameIndex, pixels);
            using var image = Mat.FromPixelData(source.Height, source.Width, MatType.CV_8UC(source.Channels), pixels);
            if (!Cv2.ImEncode(".png", image, out byte[] png))
                throw new SleapException(SleapErrorKind.WriteError,
                    $"Cannot write '{path}': OpenCV could not encode frame {frameIndex} of '{video.Filename}' as PNG.", path);
            rows.Add(png);
            frameDone();
        }
        return new EncodedFrames(rows, source.Height, source.Width, source.Channels);
    }

    /// <summary>SLEAP 1.4's layout: int8 (frames, longest PNG) with each row zero-padded, gzip-compressed.</summary>
    private static H5Dataset EncodedFramesDataset(H5FileBuilder builder, EncodedFrames frames)
    {
        int width = frames.Rows.Max(r => r.Length);
        var padded = new sbyte[checked(frames.Rows.Count * width)];
        for (int i = 0; i < frames.Rows.Count; i++)
            Buffer.BlockCopy(frames.Rows[i], 0, padded, i * width, frames.Rows[i].Length);
        // One frame per chunk: a reader decompresses exactly the frame it decodes (h5py's guessed chunks split a
        // row over many chunks, each decompressed whole for every frame read).
        var dataset = H5FileBuilder.GzipArray(padded, [(ulong)frames.Rows.Count, (ulong)width], [1, (uint)width]);
        dataset.Attributes = new()
        {
            ["format"] = builder.VariableLengthStringAttribute("png"),
            ["channels"] = (long)frames.Channels,
            ["height"] = (long)frames.Height,
            ["width"] = (long)frames.Width,
        };
        return dataset;
    }
}
