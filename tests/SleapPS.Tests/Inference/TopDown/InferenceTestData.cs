using OpenCvSharp;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.TopDown;

/// <summary>
/// Loads SLEAP's test models once per test class (one conversion cache, deleted afterwards) and reads the frames and
/// ground truth of the fixtures the way SLEAP's tests do.
/// </summary>
public sealed class ModelFixture : IDisposable
{
    private readonly TempDir _cache = new();
    private readonly Dictionary<string, Predictor> _loaded = new();

    /// <summary>The predictor made by these model folders (names under fixtures/models), loaded once.</summary>
    public Predictor Load(params string[] modelFolders)
    {
        string key = string.Join("|", modelFolders);
        lock (_loaded)
        {
            if (!_loaded.TryGetValue(key, out var predictor))
            {
                var paths = modelFolders.Select(m => Paths.Fixture("models", m)).ToArray();
                predictor = Predictor.Load(paths, new ModelLoadOptions { CacheFolder = _cache.FullName }, new InferenceSettings());
                _loaded[key] = predictor;
            }
            return predictor;
        }
    }

    public void Dispose()
    {
        foreach (var predictor in _loaded.Values)
            predictor.Dispose();
        _cache.Dispose();
    }
}

internal static class InferenceTestData
{
    public const string Centroid = "minimal_instance.UNet.centroid";
    public const string CenteredInstance = "minimal_instance.UNet.centered_instance";
    public const string CenteredInstanceWithScaling = "minimal_instance.UNet.centered_instance_with_scaling";
    public const string TopDownMultiClass = "min_tracks_2node.UNet.topdown_multiclass";
    public const string SingleInstanceRobot = "minimal_robot.UNet.single_instance";

    public static Labels ReadLabels(params string[] parts) => LabelsReader.Read(Paths.Fixture(parts));

    /// <summary>A frame exactly as the PNG holds it (decoded/*.png: the frames as the SLEAP that trained the models saw them).</summary>
    public static FrameInput DecodedPng(string fileName, Video video, long frameIndex, IReadOnlyList<Instance>? groundTruth)
    {
        using var image = Cv2.ImRead(Paths.Fixture("decoded", fileName), ImreadModes.Grayscale);
        Assert.Equal((384, 384), (image.Rows, image.Cols));
        var pixels = new byte[image.Rows * image.Cols];
        image.GetArray(out byte[] data);
        data.CopyTo(pixels, 0);
        return new FrameInput(video, frameIndex, pixels, image.Rows, image.Cols, 1) { GroundTruth = groundTruth };
    }

    /// <summary>A frame of a video file read through SleapPS's frame sources (as SLEAP's VideoReader reads it).</summary>
    public static FrameInput VideoFrame(string[] videoParts, long frameIndex, IReadOnlyList<Instance>? groundTruth = null)
    {
        var video = FrameSources.DescribeFile(Paths.Fixture(videoParts));
        using var source = FrameSources.Open(video);
        return new FrameInput(video, frameIndex, source.ReadFrame(frameIndex), source.Height, source.Width, source.Channels) { GroundTruth = groundTruth };
    }

    public static IReadOnlyList<Instance> UserInstances(Labels labels, long frameIndex) =>
        labels.LabeledFrames.Single(f => f.FrameIndex == frameIndex).UserInstances.ToList();

    /// <summary>
    /// SLEAP's tests' <c>match_points</c>: pairs every ground-truth point with a predicted point so that the summed
    /// distance is least (all points of all instances, flattened), and returns the largest paired distance per axis.
    /// </summary>
    public static double LargestMatchedDeviation(IReadOnlyList<Instance> truth, IReadOnlyList<Instance> predicted)
    {
        var a = truth.SelectMany(i => i.Points).Select(p => (p.X, p.Y)).ToArray();
        var b = predicted.SelectMany(i => i.Points).Select(p => (p.X, p.Y)).ToArray();
        Assert.Equal(a.Length, b.Length);
        double bestSum = double.PositiveInfinity, bestMax = double.NaN;
        foreach (var permutation in Permutations(b.Length))
        {
            double sum = 0, max = 0;
            for (int i = 0; i < a.Length; i++)
            {
                var (px, py) = b[permutation[i]];
                sum += Math.Sqrt(Math.Pow(a[i].X - px, 2) + Math.Pow(a[i].Y - py, 2));
                max = Math.Max(max, Math.Max(Math.Abs(a[i].X - px), Math.Abs(a[i].Y - py)));
            }
            if (sum < bestSum)
                (bestSum, bestMax) = (sum, max);
        }
        return bestMax;
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        var items = Enumerable.Range(0, n).ToArray();
        return Permute(items, 0);

        static IEnumerable<int[]> Permute(int[] items, int k)
        {
            if (k == items.Length)
            {
                yield return (int[])items.Clone();
                yield break;
            }
            for (int i = k; i < items.Length; i++)
            {
                (items[k], items[i]) = (items[i], items[k]);
                foreach (var p in Permute(items, k + 1))
                    yield return p;
                (items[k], items[i]) = (items[i], items[k]);
            }
        }
    }
}
