using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.BottomUp;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.BottomUp;

/// <summary>The bottom-up predictor against SLEAP's stored predictions (docs/design/references.md §2.4) and its own tests (§2.1).</summary>
public class BottomUpPredictorTests(BottomUpModels models, ITestOutputHelper output) : IClassFixture<BottomUpModels>
{
    private static string ModelFile(string name) => Paths.Fixture("models", "minimal_instance.UNet.bottomup", name);

    [Theory]
    [InlineData("val", "centered_pair_low_quality.0000.png", 0)]
    [InlineData("train", "centered_pair_low_quality.0001.png", 1)]
    public void Reproduces_sleaps_stored_predictions(string split, string png, long frameIndex)
    {
        var stored = LabelsReader.Read(ModelFile($"labels_pr.{split}.slp")).LabeledFrames.Single();
        var expected = stored.PredictedInstances.ToList();
        using var predictor = new BottomUpPredictor(models.BottomUp, new InferenceSettings());

        var actual = Predict(predictor, BottomUpModels.Png(Paths.Fixture("decoded", png), frameIndex)).Instances;

        Assert.Equal(expected.Count, actual.Count);
        double pointDeviation = 0, scoreDeviation = 0;
        for (int m = 0; m < expected.Count; m++)
        {
            for (int n = 0; n < expected[m].Points.Length; n++)
            {
                var (e, a) = (expected[m].Points[n], actual[m].Points[n]);
                pointDeviation = Math.Max(pointDeviation, Math.Max(Math.Abs(e.X - a.X), Math.Abs(e.Y - a.Y)));
                scoreDeviation = Math.Max(scoreDeviation, Math.Abs(e.Score - a.Score));
            }
            scoreDeviation = Math.Max(scoreDeviation, Math.Abs(expected[m].Score - actual[m].Score));
        }
        output.WriteLine($"labels_pr.{split}: largest point deviation {pointDeviation:0.######} px, largest score deviation {scoreDeviation:0.########}");
        Assert.InRange(pointDeviation, 0, 0.01);
        Assert.InRange(scoreDeviation, 0, 1e-4);
    }

    [Fact]
    public void Finds_the_two_labelled_animals_within_sleaps_tolerance()
    {
        var frame = BottomUpModels.VideoFrames(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), 0).Single();
        var truth = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp")).LabeledFrames.Single().UserInstances.ToList();
        using var predictor = new BottomUpPredictor(models.BottomUp, new InferenceSettings());

        var instances = Predict(predictor, frame).Instances;

        Assert.Equal(2, instances.Count);
        Assert.All(instances, i => Assert.Equal(models.BottomUp.Skeleton, i.Skeleton));
        double deviation = MatchedPointDeviation(truth.SelectMany(i => i.Points).ToArray(), instances.SelectMany(i => i.Points).ToArray());
        output.WriteLine($"bottom-up vs ground truth (matched points): largest deviation {deviation:0.####} px (SLEAP allows 1.75)");
        Assert.InRange(deviation, 0, 1.75);
    }

    [Fact]
    public void Min_line_scores_of_1_1_leaves_no_instance()
    {
        var frame = BottomUpModels.VideoFrames(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), 0).Single();
        using var predictor = new BottomUpPredictor(models.BottomUp, new InferenceSettings { MinLineScores = 1.1 });
        Assert.Empty(Predict(predictor, frame).Instances);
    }

    [Fact]
    public void A_peak_threshold_of_1_5_leaves_no_instance()
    {
        var frame = BottomUpModels.VideoFrames(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), 0).Single();
        using var predictor = new BottomUpPredictor(models.BottomUp, new InferenceSettings { PeakThreshold = 1.5 });
        var prediction = predictor.PredictBatch([frame], new PredictionOptions { IncludeRaw = true }, CancellationToken.None).Single();
        Assert.Empty(prediction.Instances);
        Assert.Equal(0, prediction.Raw!.NValid);
    }

    [Fact]
    public void Max_instances_keeps_the_best_scored()
    {
        var frame = BottomUpModels.Png(Paths.Fixture("decoded", "centered_pair_low_quality.0000.png"), 0);
        using var all = new BottomUpPredictor(models.BottomUp, new InferenceSettings());
        using var one = new BottomUpPredictor(models.BottomUp, new InferenceSettings { MaxInstances = 1 });

        var every = Predict(all, frame).Instances;
        var best = Assert.Single(Predict(one, frame).Instances);

        Assert.Equal(every.Max(i => i.Score), best.Score);
        Assert.Equal(1.0316725, best.Score, 1e-4); // labels_pr.val's second instance
    }

    [Fact]
    public void A_frame_smaller_than_the_size_match_target_is_resized_and_its_points_mapped_back()
    {
        // SizeMatcher (docs/design/inference.md §3.2): a 192x192 copy of frame 0 is resized to the 384x384 target (factor 2) and the
        // points are divided by 2, so they land on the full-size predictions halved.
        string png = Paths.Fixture("decoded", "centered_pair_low_quality.0000.png");
        using var full = OpenCvSharp.Cv2.ImRead(png, OpenCvSharp.ImreadModes.Grayscale);
        using var half = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(full, half, new OpenCvSharp.Size(192, 192), 0, 0, OpenCvSharp.InterpolationFlags.Area);
        half.GetArray(out byte[] pixels);
        var small = new FrameInput(new Video(png, VideoBackend.ImageSequence), 0, pixels, 192, 192, 1);
        using var predictor = new BottomUpPredictor(models.BottomUp, new InferenceSettings()) { ProviderMaxSize = (384, 384) };

        var reference = Predict(predictor, BottomUpModels.Png(png, 0)).Instances; // already at the target: untouched
        var instances = Predict(predictor, small).Instances;

        Assert.Equal(2, instances.Count);
        double deviation = MatchedPointDeviation(
            reference.SelectMany(i => i.Points).Select(p => p with { X = p.X / 2, Y = p.Y / 2 }).ToArray(),
            instances.SelectMany(i => i.Points).ToArray());
        output.WriteLine($"size-matched half-size frame vs full-size predictions halved: largest deviation {deviation:0.###} px");
        Assert.InRange(deviation, 0, 1.5);
    }

    [Fact]
    public void Raw_output_and_maps_come_when_asked()
    {
        var frame = BottomUpModels.Png(Paths.Fixture("decoded", "centered_pair_low_quality.0000.png"), 0);
        using var predictor = new BottomUpPredictor(models.BottomUp, new InferenceSettings());

        var prediction = predictor.PredictBatch([frame], new PredictionOptions { IncludeRaw = true, IncludeMaps = true }, CancellationToken.None).Single();

        var raw = prediction.Raw!;
        Assert.Equal(2, raw.NValid);
        Assert.Equal([2, 2, 2], new[] { raw.InstancePeaks!.GetLength(0), raw.InstancePeaks.GetLength(1), raw.InstancePeaks.GetLength(2) });
        Assert.Equal((float)prediction.Instances[0].Points[1].X, raw.InstancePeaks[0, 1, 0]);
        Assert.Equal((float)prediction.Instances[1].Score, raw.InstanceScores![1]);
        Assert.Equal((float)prediction.Instances[1].Points[0].Score, raw.InstancePeakValues![1, 0]);
        var maps = prediction.Maps!;
        Assert.Equal(["confmaps", "part_affinity_fields"], maps.Select(m => m.Name));
        Assert.Equal((192, 192, 2, 2), (maps[0].Height, maps[0].Width, maps[0].Channels, maps[0].Stride));
        Assert.Equal((96, 96, 2, 4), (maps[1].Height, maps[1].Width, maps[1].Channels, maps[1].Stride));
        Assert.Null(Predict(predictor, frame).Raw);
    }

    [Fact]
    public void Grouping_time_per_frame_for_two_animals()
    {
        // The model's peaks and PAFs on frame 0 (two flies), then the grouper alone, warmed up, over many repeats.
        var frame = BottomUpModels.Png(Paths.Fixture("decoded", "centered_pair_low_quality.0000.png"), 0);
        using var predictor = new BottomUpPredictor(models.BottomUp, new InferenceSettings());
        var prediction = predictor.PredictBatch([frame], new PredictionOptions { IncludeMaps = true }, CancellationToken.None).Single();
        var pafs = prediction.Maps!.Single(m => m.Name == "part_affinity_fields");
        var points = prediction.Instances.SelectMany(i => i.Points.Select((p, node) => (p, node))).ToArray();
        float[] x = points.Select(q => (float)q.p.X).ToArray(), y = points.Select(q => (float)q.p.Y).ToArray();
        float[] values = points.Select(q => (float)q.p.Score).ToArray();
        int[] channels = points.Select(q => q.node).ToArray();
        var grouper = new PafGrouper(2, [(0, 1)], pafs.Stride, new InferenceSettings());

        const int warmup = 2000, repeats = 20000;
        for (int i = 0; i < warmup; i++)
            grouper.Group(x, y, values, channels, pafs.Data, pafs.Height, pafs.Width, pafs.Channels);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++)
            grouper.Group(x, y, values, channels, pafs.Data, pafs.Height, pafs.Width, pafs.Channels);
        double perFrame = clock.Elapsed.TotalMilliseconds / repeats;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal(2, grouper.Result.Count);
        // Workspaces are reused: frames like the last allocate nothing (the runtime may allocate a few bytes once, e.g. when it recompiles).
        Assert.True(bytes < repeats, $"{bytes} bytes allocated over {repeats} frames");
        output.WriteLine($"PAF grouping (2 animals, 2 nodes, 1 edge): {perFrame * 1000:0.00} µs per frame over {repeats} frames, {bytes / (double)repeats:0.#} bytes allocated per frame");
    }

    private static FramePrediction Predict(PosePredictor predictor, FrameInput frame) =>
        predictor.PredictBatch([frame], PredictionOptions.Default, CancellationToken.None).Single();

    /// <summary>SLEAP's match_points: the assignment of predicted to true points with the least total distance; the largest coordinate difference.</summary>
    private static double MatchedPointDeviation(Point[] truth, Point[] predicted)
    {
        Assert.Equal(truth.Length, predicted.Length);
        double best = double.PositiveInfinity, deviation = double.NaN;
        foreach (var order in Permutations(Enumerable.Range(0, predicted.Length).ToArray(), 0))
        {
            double total = 0, largest = 0;
            for (int i = 0; i < truth.Length; i++)
            {
                var (t, p) = (truth[i], predicted[order[i]]);
                total += Math.Sqrt((t.X - p.X) * (t.X - p.X) + (t.Y - p.Y) * (t.Y - p.Y));
                largest = Math.Max(largest, Math.Max(Math.Abs(t.X - p.X), Math.Abs(t.Y - p.Y)));
            }
            if (total < best)
                (best, deviation) = (total, largest);
        }
        return deviation;
    }

    private static IEnumerable<int[]> Permutations(int[] items, int from)
    {
        if (from == items.Length)
        {
            yield return (int[])items.Clone();
            yield break;
        }
        for (int i = from; i < items.Length; i++)
        {
            (items[from], items[i]) = (items[i], items[from]);
            foreach (var p in Permutations(items, from + 1))
                yield return p;
            (items[from], items[i]) = (items[i], items[from]);
        }
    }
}
