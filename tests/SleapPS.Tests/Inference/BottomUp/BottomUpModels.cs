using OpenCvSharp;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.BottomUp;

/// <summary>The two bottom-up fixture models, loaded once for all tests of a class, and helpers to feed them frames.</summary>
public sealed class BottomUpModels : IDisposable
{
    private readonly TempDir _cache = new();
    private readonly Lazy<Predictor> _bottomUp;
    private readonly Lazy<Predictor> _multiClass;

    public BottomUpModels()
    {
        _bottomUp = new(() => Load("minimal_instance.UNet.bottomup"));
        _multiClass = new(() => Load("min_tracks_2node.UNet.bottomup_multiclass"));
    }

    public Predictor BottomUp => _bottomUp.Value;

    public Predictor MultiClass => _multiClass.Value;

    private Predictor Load(string folder) =>
        Predictor.Load([Paths.Fixture("models", folder)], new ModelLoadOptions { CacheFolder = _cache.FullName }, new InferenceSettings());

    /// <summary>A frame exactly as a lossless single-channel PNG holds it (decoded/*.png: the frames as SLEAP saw them).</summary>
    public static FrameInput Png(string path, long frameIndex)
    {
        using var image = Cv2.ImRead(path, ImreadModes.Grayscale);
        image.GetArray(out byte[] pixels);
        var video = new Video(path, VideoBackend.ImageSequence) { ResolvedPath = path };
        return new FrameInput(video, frameIndex, pixels, image.Rows, image.Cols, 1);
    }

    /// <summary>Frames of a video decoded as SLEAP does (FrameSources).</summary>
    public static List<FrameInput> VideoFrames(string path, params long[] frameIndices)
    {
        var video = FrameSources.DescribeFile(path);
        using var source = FrameSources.Open(video);
        return frameIndices.Select(i => new FrameInput(video, i, source.ReadFrame(i), source.Height, source.Width, source.Channels)).ToList();
    }

    public void Dispose()
    {
        if (_bottomUp.IsValueCreated) _bottomUp.Value.Dispose();
        if (_multiClass.IsValueCreated) _multiClass.Value.Dispose();
        _cache.Dispose();
    }
}
