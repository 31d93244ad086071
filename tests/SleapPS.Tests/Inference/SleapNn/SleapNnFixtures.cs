using System.Text.Json;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Core;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>
/// sleap-nn's fixtures (../shared/fixtures/sleap-nn, used in place): the frames sleap-nn was given, the tensors it fed
/// its networks and got back, and the predictions it made.
/// </summary>
internal static class SleapNnFixtures
{
    public static string Root => Path.GetFullPath(Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn"));

    public static string Expected(string file) => Path.Combine(Root, "expected", file);

    public static string ModelFolder(string name) => Path.Combine(Root, "model_ckpts", name);

    /// <summary>The frames of expected/&lt;model&gt;__frames.npz as SleapPS frames (HWC uint8, as sleap-nn got them).</summary>
    public static FrameInput[] Frames(string model)
    {
        var arrays = Npz.Load(Expected(model + "__frames.npz"));
        var frames = arrays["frames"];
        var indices = arrays["frame_idx"];
        int count = frames.Shape[0], height = frames.Shape[1], width = frames.Shape[2], channels = frames.Shape[3];
        var video = new Video(Path.Combine(Root, "expected", model + "__frames.npz"), VideoBackend.Media);
        var result = new FrameInput[count];
        for (int i = 0; i < count; i++)
        {
            var pixels = new byte[height * width * channels];
            for (int k = 0; k < pixels.Length; k++)
                pixels[k] = (byte)frames.Values[i * pixels.Length + k];
            result[i] = new FrameInput(video, (long)indices.Values[i], pixels, height, width, channels);
        }
        return result;
    }

    /// <summary>An NCHW array of a raw .npz as an NHWC map view (SleapPS's layout).</summary>
    public static MapView ToNhwc(NpyArray array)
    {
        int b = array.Shape[0], c = array.Shape[1], h = array.Shape[2], w = array.Shape[3];
        var data = new float[array.Length];
        for (int s = 0; s < b; s++)
            for (int k = 0; k < c; k++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        data[((s * h + y) * w + x) * c + k] = (float)array.Values[((s * c + k) * h + y) * w + x];
        return new MapView(data, b, h, w, c);
    }

    public static IReadOnlyDictionary<string, NpyArray> Raw(string name) => Npz.Load(Expected(name + "__raw.npz"));

    public static ExpectedPredictions Predictions(string pipeline) => ExpectedPredictions.Read(Expected(pipeline + "__pred.json"));
}

/// <summary>One instance of a __pred.json: points (NaN where null), point scores, score, and track for multi-class ones.</summary>
internal sealed record ExpectedInstance(double[][] Points, double[] PointScores, double Score, string? Track, double? TrackingScore);

/// <summary>A __pred.json: per frame index, sleap-nn's instances in its order; and the raw arrays it recorded.</summary>
internal sealed class ExpectedPredictions
{
    private ExpectedPredictions(JsonElement root, IReadOnlyDictionary<long, ExpectedInstance[]> frames)
    {
        Root = root;
        Frames = frames;
    }

    public JsonElement Root { get; }

    public IReadOnlyDictionary<long, ExpectedInstance[]> Frames { get; }

    public static ExpectedPredictions Read(string path)
    {
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
        var frames = new Dictionary<long, ExpectedInstance[]>();
        if (root.TryGetProperty("frames", out var list))
            foreach (var frame in list.EnumerateArray())
                frames[frame.GetProperty("frame_idx").GetInt64()] = frame.GetProperty("instances").EnumerateArray().Select(ReadInstance).ToArray();
        return new ExpectedPredictions(root, frames);
    }

    /// <summary>An array of numbers (null = NaN) nested to any depth, flattened.</summary>
    public double[] Flat(string name) => Flatten(Root.GetProperty(name)).ToArray();

    private static IEnumerable<double> Flatten(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Flatten),
        JsonValueKind.Null => [double.NaN],
        _ => [element.GetDouble()],
    };

    private static ExpectedInstance ReadInstance(JsonElement instance) => new(
        instance.GetProperty("points").EnumerateArray().Select(p => Flatten(p).ToArray()).ToArray(),
        Flatten(instance.GetProperty("point_scores")).ToArray(),
        instance.GetProperty("score").GetDouble(),
        instance.TryGetProperty("track", out var track) && track.ValueKind == JsonValueKind.String ? track.GetString() : null,
        instance.TryGetProperty("tracking_score", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetDouble() : null);
}
