using OpenCvSharp;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.Core;

/// <summary>ModelRunner on the minimal_instance centroid model (384x384x1, stride 4, with an offset head).</summary>
public class ModelRunnerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _cache = new();

    private static string CentroidFolder => Paths.Fixture("models", "minimal_instance.UNet.centroid");

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Heads_are_found_by_name_with_their_shapes()
    {
        using var model = SleapModel.Load(CentroidFolder, new ModelLoadOptions { CacheFolder = _cache.FullName });
        using var runner = new ModelRunner(model);

        var outputs = runner.Run(new float[2 * 384 * 384], 2, 384, 384, 1);

        Assert.Equal(["CentroidConfmapsHead_0", "OffsetRefinementHead_0"], outputs.OutputNames);
        Assert.Equal(2, outputs.Batch);
        var confmaps = outputs.Get(HeadKind.CentroidConfmaps);
        var offsets = outputs.Get(HeadKind.OffsetRefinement);
        Assert.Equal((2, 96, 96, 1), (confmaps.Batch, confmaps.Height, confmaps.Width, confmaps.Channels));
        Assert.Equal((2, 96, 96, 2), (offsets.Batch, offsets.Height, offsets.Width, offsets.Channels));
        Assert.True(outputs.Has(HeadKind.CentroidConfmaps));
        Assert.Null(outputs.TryGet(HeadKind.PartAffinityFields));
        var ex = Assert.Throws<SleapPS.Engine.SleapException>(() => outputs.Get(HeadKind.ClassVectors));
        Assert.Contains("ClassVectorsHead", ex.Message);
        Assert.Contains(model.OnnxPath, ex.Message);
    }

    [Fact]
    public void Centroids_of_the_labelled_frame_are_where_the_ground_truth_is()
    {
        using var model = SleapModel.Load(CentroidFolder, new ModelLoadOptions { CacheFolder = _cache.FullName });
        using var runner = new ModelRunner(model);
        using var frame = Cv2.ImRead(Paths.Fixture("decoded", "centered_pair_low_quality.0000.png"), ImreadModes.Grayscale);
        frame.GetArray(out byte[] pixels);
        var (height, width) = ImagePreprocessor.OutputSize(frame.Rows, frame.Cols, 1.0, (model.Config.Preprocessing.PadToStride ?? model.Config.MaxStride));

        var input = runner.PrepareInput(1, height, width, 1);
        ImagePreprocessor.ToModelInput(pixels, frame.Rows, frame.Cols, 1, 1, 1.0, (model.Config.Preprocessing.PadToStride ?? model.Config.MaxStride), input, height, width);
        var outputs = runner.Run();
        var confmaps = outputs.Get(HeadKind.CentroidConfmaps);
        var offsets = outputs.Get(HeadKind.OffsetRefinement);
        var peaks = new List<GridPeak>();
        PeakFinder.FindLocal(confmaps, 0.2f, peaks);
        int stride = model.Config.FindHead(HeadKind.CentroidConfmaps)!.OutputStride;
        var centroids = peaks.Select(p => PeakRefiner.Refine(p, confmaps, offsets, PeakRefinement.Integral, 5))
            .Select(p => (X: GridMapping.ToImage(p.X, stride, 1.0), Y: GridMapping.ToImage(p.Y, stride, 1.0))).ToArray();

        // The model was trained on this frame's two instances; its centroids are their bounding-box midpoints.
        var labels = LabelsReader.Read(Path.Combine(CentroidFolder, "labels_gt.val.slp"));
        var truth = labels.LabeledFrames.Single(f => f.FrameIndex == 0).Instances
            .Select(i => i.Points.Where(p => p.IsPresent).ToArray())
            .Select(p => (X: (p.Min(q => q.X) + p.Max(q => q.X)) / 2, Y: (p.Min(q => q.Y) + p.Max(q => q.Y)) / 2)).ToArray();
        output.WriteLine($"peaks: {string.Join("; ", peaks.Zip(centroids, (p, c) => $"{p} -> ({c.X:0.###}, {c.Y:0.###})"))}");
        output.WriteLine($"truth: {string.Join("; ", truth.Select(t => $"({t.X:0.###}, {t.Y:0.###})"))}");
        Assert.Equal(truth.Length, centroids.Length);
        foreach (var t in truth)
            Assert.Contains(centroids, c => Math.Abs(c.X - t.X) < 2 && Math.Abs(c.Y - t.Y) < 2);
        Assert.All(peaks, p => Assert.InRange(p.Value, 0.5f, 1.5f));
    }

    [Fact]
    public void Outputs_are_reused_and_a_new_shape_re_creates_the_input()
    {
        using var model = SleapModel.Load(CentroidFolder, new ModelLoadOptions { CacheFolder = _cache.FullName });
        using var runner = new ModelRunner(model);
        var bright = Enumerable.Repeat(0.5f, 64 * 64).ToArray();

        var first = runner.Run(bright, 1, 64, 64, 1).Get(HeadKind.CentroidConfmaps).AsSpan().ToArray();
        var smaller = runner.Run(new float[2 * 32 * 32], 2, 32, 32, 1).Get(HeadKind.CentroidConfmaps);
        Assert.Equal((2, 8, 8), (smaller.Batch, smaller.Height, smaller.Width));
        var again = runner.Run(bright, 1, 64, 64, 1).Get(HeadKind.CentroidConfmaps);

        Assert.Equal((1, 16, 16), (again.Batch, again.Height, again.Width));
        Assert.Equal(first, again.AsSpan().ToArray());
        Assert.Throws<ArgumentException>(() => runner.Run(new float[64 * 64 * 3], 1, 64, 64, 3));
    }
}
