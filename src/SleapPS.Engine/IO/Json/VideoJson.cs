using System.Text.Json.Nodes;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO.Json;

/// <summary>
/// The <c>{"backend": {...}}</c> video elements of a labels file (docs/design/file-formats.md §3.3). SLEAP does not store
/// the backend type; it derives it from the filename, and so does this codec.
/// </summary>
public static class VideoJson
{
    private static readonly string[] MediaExtensions = [".mp4", ".avi", ".mov", ".mj2", ".mkv"];
    private static readonly string[] Hdf5Extensions = [".h5", ".hdf5", ".slp"];
    private static readonly string[] NumpyExtensions = [".npy", ".npz"];
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".tif", ".tiff"];

    /// <summary>
    /// Reads one video element. The backend dictionary is kept as <see cref="Video.BackendMetadata"/> so that
    /// writing the video back keeps fields this library does not interpret.
    /// </summary>
    /// <exception cref="InvalidDataException">The element has no backend dictionary or no filename.</exception>
    public static Data.Video Decode(JsonObject videoElement)
    {
        // Some writers put the backend fields at the top level; SLEAP accepts both.
        JsonObject backend = videoElement["backend"] as JsonObject ?? videoElement;
        string filename = JsonRead.GetString(backend["filename"])
            ?? throw new InvalidDataException($"A video entry has no filename: {videoElement.ToJsonString()}.");

        var video = new Data.Video(filename, BackendOf(filename, backend))
        {
            BackendMetadata = (JsonObject)backend.DeepClone(),
            Grayscale = JsonRead.GetBool(backend["grayscale"]),
        };
        if (JsonRead.GetString(backend["dataset"]) is { Length: > 0 } dataset)
            video.Dataset = dataset;

        switch (video.Backend)
        {
            case VideoBackend.ImageSequence:
                if (backend["filenames"] is JsonArray filenames)
                    video.ImageFilenames.AddRange(filenames.Select(JsonRead.GetString).OfType<string>());
                else
                    video.ImageFilenames.Add(filename);
                video.Height = JsonRead.GetInt(backend["height_"]);
                video.Width = JsonRead.GetInt(backend["width_"]);
                video.Channels = JsonRead.GetInt(backend["channels_"]);
                video.FrameCount = video.ImageFilenames.Count;
                break;
            case VideoBackend.Dummy:
                video.Height = JsonRead.GetInt(backend["height"]);
                video.Width = JsonRead.GetInt(backend["width"]);
                video.Channels = JsonRead.GetInt(backend["channels"]);
                video.FrameCount = JsonRead.TryGetLong(backend["frames"], out long frames) ? frames : null;
                break;
        }
        return video;
    }

    /// <summary>
    /// Writes one video element. When the video came from a file its original backend dictionary is written
    /// back, with the filename (and image list / dataset) taken from the video so that edits to them count;
    /// otherwise the fields SLEAP writes for the backend.
    /// </summary>
    /// <param name="video">The video.</param>
    /// <param name="filename">The path to store instead of <see cref="Data.Video.Filename"/> (where the video was found).</param>
    public static JsonObject Encode(Data.Video video, string? filename = null)
    {
        filename ??= video.Filename;
        JsonObject backend;
        if (video.BackendMetadata is not null)
        {
            backend = (JsonObject)video.BackendMetadata.DeepClone();
            // A stored "." means "the labels file itself" (embedded frames); the reader turns it into that file's
            // path, but it is written back as "." so that a package keeps referring to itself.
            if (JsonRead.GetString(backend["filename"]) != ".")
                backend["filename"] = filename;
            if (video.Backend == VideoBackend.ImageSequence && backend.ContainsKey("filenames"))
                backend["filenames"] = StringArray(video.ImageFilenames);
        }
        else
        {
            backend = DefaultBackend(video, filename);
        }
        return new JsonObject { ["backend"] = backend };
    }

    /// <summary>The backend SLEAP picks for a stored filename (Video.from_filename), or Dummy when the entry says so.</summary>
    public static VideoBackend BackendOf(string filename, JsonObject? backend = null)
    {
        if (backend is not null && (backend.ContainsKey("dummy") || (backend.ContainsKey("frames") && backend.ContainsKey("height") && !backend.ContainsKey("filenames"))))
            return VideoBackend.Dummy;
        if (filename == ".") return VideoBackend.Hdf5;
        string lower = filename.ToLowerInvariant();
        if (Hdf5Extensions.Any(lower.EndsWith)) return VideoBackend.Hdf5;
        if (NumpyExtensions.Any(lower.EndsWith)) return VideoBackend.Numpy;
        if (MediaExtensions.Any(lower.EndsWith)) return VideoBackend.Media;
        if (lower.EndsWith("metadata.yaml") || lower.EndsWith('/') || lower.EndsWith('\\')) return VideoBackend.ImgStore;
        if (ImageExtensions.Any(lower.EndsWith)) return VideoBackend.ImageSequence;
        // SLEAP itself would refuse an unknown extension; keep the labels readable and let opening the video fail.
        return VideoBackend.Media;
    }

    private static JsonObject DefaultBackend(Data.Video video, string filename) => video.Backend switch
    {
        VideoBackend.Media => new JsonObject
        {
            ["filename"] = filename,
            ["grayscale"] = video.Grayscale,
            ["bgr"] = true,
            ["dataset"] = "",
            ["input_format"] = "",
        },
        VideoBackend.Hdf5 => new JsonObject
        {
            ["filename"] = filename,
            ["dataset"] = video.Dataset ?? "",
            ["input_format"] = "channels_last",
            ["convert_range"] = false,
        },
        VideoBackend.Numpy => new JsonObject { ["filename"] = filename },
        VideoBackend.ImgStore => new JsonObject { ["filename"] = filename, ["index_by_original"] = true },
        VideoBackend.ImageSequence => new JsonObject
        {
            ["filename"] = video.ImageFilenames.Count > 0 ? video.ImageFilenames[0] : video.Filename,
            ["filenames"] = StringArray(video.ImageFilenames.Count > 0 ? video.ImageFilenames : [video.Filename]),
            ["height_"] = video.Height,
            ["width_"] = video.Width,
            ["channels_"] = video.Channels,
            ["grayscale"] = video.Grayscale,
        },
        VideoBackend.Dummy => new JsonObject
        {
            ["filename"] = filename,
            ["height"] = video.Height,
            ["width"] = video.Width,
            ["frames"] = video.FrameCount,
            ["channels"] = video.Channels,
            ["dummy"] = true,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(video), video.Backend, "Unknown video backend."),
    };

    private static JsonArray StringArray(IEnumerable<string> items) => new(items.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
}
