using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.Exports;

/// <summary>
/// The ONNX exports sleap-nn's own exporter wrote for the fixture models (../shared/fixtures/sleap-nn/exports, used in
/// place), each with expected_outputs.npz: the uint8 NCHW <c>image</c> it was run on and the outputs sleap-nn computed.
/// </summary>
public static class ExportFixtures
{
    public const string Centroid = "centroid";
    public const string BottomUp = "bottomup";
    public const string TopDown = "topdown";
    public const string TopDownMultiClass = "topdown_multiclass";
    public const string SingleInstance = "single_instance_input_scale1";

    public static readonly string[] All = [Centroid, BottomUp, TopDown, TopDownMultiClass, SingleInstance];

    public static string SleapNnFixtures => Path.GetFullPath(Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn"));

    public static string Folder(string name) => Path.Combine(SleapNnFixtures, "exports", name);

    /// <summary>The labels file whose one frame (384x384 grey, lossless) four of the exports were run on.</summary>
    public static string MinimalInstance => Path.Combine(SleapNnFixtures, "datasets", "minimal_instance.pkg.slp");

    public static IReadOnlyDictionary<string, NpyArray> Expected(string name) => Npz.Load(Path.Combine(Folder(name), "expected_outputs.npz"));

    /// <summary>The frames of <c>image</c> (B, C, H, W) as the HWC frames a predictor takes, numbered 0, 1, ...</summary>
    public static IReadOnlyList<FrameInput> Frames(string name)
    {
        var image = Expected(name)["image"];
        int batch = image.Shape[0], channels = image.Shape[1], height = image.Shape[2], width = image.Shape[3];
        var video = new Video(Path.Combine(Folder(name), "expected_outputs.npz"), VideoBackend.Media) { Height = height, Width = width };
        var frames = new List<FrameInput>();
        for (int b = 0; b < batch; b++)
        {
            var pixels = new byte[height * width * channels];
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < height * width; i++)
                    pixels[i * channels + c] = (byte)image.Values[((b * channels + c) * height * width) + i];
            frames.Add(new FrameInput(video, b, pixels, height, width, channels));
        }
        return frames;
    }

    public static Predictor Load(string name, InferenceSettings? settings = null) =>
        Predictor.Load([Folder(name)], new ModelLoadOptions(), settings ?? new InferenceSettings());
}
