using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;
using Xunit.Abstractions;
using static SleapPS.Tests.Inference.TopDown.InferenceTestData;

namespace SleapPS.Tests.Inference.TopDown;

/// <summary>
/// docs/design/references.md §2.1, SLEAP's top-down predictor tests: frame 0 of centered_pair_low_quality.mp4 (min_labels), its two
/// user instances as ground truth, points within SLEAP's tolerance of 1.5 px after matching points.
/// </summary>
public sealed class TopDownPredictorTests(ModelFixture models, ITestOutputHelper output) : IClassFixture<ModelFixture>
{
    private static readonly string[] VideoPath = ["json_format_v1", "centered_pair_low_quality.mp4"];

    [Theory]
    [InlineData(Centroid)]
    [InlineData(CenteredInstance)]
    [InlineData(CenteredInstanceWithScaling)]
    [InlineData(Centroid + "," + CenteredInstanceWithScaling)]
    public void FindsBothInstancesWithinSleapTolerance(string folders)
    {
        var modelFolders = folders.Split(',');
        var truth = MinLabelsTruth();
        var instances = Predict(modelFolders, new InferenceSettings(), truth);

        Assert.Equal(2, instances.Count);
        Assert.All(instances, i => Assert.Equal(2, i.PresentPointCount));
        double worst = LargestMatchedDeviation(truth, instances);
        output.WriteLine($"{string.Join(" + ", modelFolders)}: largest deviation from ground truth {worst:G4} px; scores " +
            string.Join(", ", instances.Select(i => i.Score.ToString("G6"))));
        Assert.InRange(worst, 0, 1.5);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    public void MaxInstancesKeepsTheStrongestCentroids(int maxInstances, int expected)
    {
        var truth = MinLabelsTruth();
        var all = Predict([Centroid], new InferenceSettings(), truth);
        var kept = Predict([Centroid], new InferenceSettings { MaxInstances = maxInstances }, truth);

        Assert.Equal(expected, kept.Count);
        // top_k sorts the kept centroids by descending value; frames within the limit keep scan order.
        var expectedScores = maxInstances < all.Count
            ? all.Select(i => i.Score).OrderByDescending(s => s).Take(maxInstances)
            : all.Select(i => i.Score);
        Assert.Equal(expectedScores, kept.Select(i => i.Score));
    }

    [Theory]
    [InlineData(Centroid)]
    [InlineData(CenteredInstance)]
    public void HighPeakThresholdFindsNothing(string model)
    {
        var instances = Predict([model], HighThreshold, MinLabelsTruth());
        Assert.Empty(instances);
    }

    [Fact]
    public void GroundTruthStandInWithoutGroundTruthSaysWhatToDo()
    {
        var frame = VideoFrame(VideoPath, 0);
        using var predictor = new TopDownPredictor(models.Load(CenteredInstance), new InferenceSettings());
        var error = Assert.Throws<SleapException>(() => predictor.PredictBatch([frame], PredictionOptions.Default, CancellationToken.None));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("centered_pair_low_quality.mp4", error.Message);
        Assert.Contains("no centroid model", error.Message);
    }

    [Fact]
    public void RawOutputHoldsCentroidsAndPeaksOfEveryCrop()
    {
        var frame = VideoFrame(VideoPath, 0);
        using var predictor = new TopDownPredictor(models.Load(Centroid, CenteredInstance), new InferenceSettings());
        var prediction = Assert.Single(predictor.PredictBatch([frame], new PredictionOptions { IncludeRaw = true, IncludeMaps = true }, CancellationToken.None));
        var raw = prediction.Raw!;

        Assert.Equal(2, raw.NValid);
        Assert.Equal(2, raw.InstancePeaks!.GetLength(0));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal((float)prediction.Instances[i].Score, raw.CentroidValues![i]);
            Assert.Equal((float)prediction.Instances[i].Points[1].X, raw.InstancePeaks[i, 1, 0]);
        }
        Assert.Contains(prediction.Maps!, m => m.Name == "centroid_confmaps" && m.Stride == 4 && m.Height == 96);
        Assert.Equal(2, prediction.Maps!.Count(m => m.Name == "instance_confmaps" && m.Height == 48 && m.Channels == 2));
    }

    /// <summary>
    /// A batch gives each frame what predicting it alone gives: crops of all frames share one instance-model run, and
    /// the buffers are reused from batch to batch. (These models find spurious instances on other frames, so counts vary.)
    /// </summary>
    [Fact]
    public void BatchOfFramesEqualsFramesOneByOne()
    {
        var frames = Enumerable.Range(0, 6).Select(i => VideoFrame(VideoPath, i * 7)).ToArray();
        using var predictor = new TopDownPredictor(models.Load(Centroid, CenteredInstanceWithScaling), new InferenceSettings());
        var batched = predictor.PredictBatch(frames, PredictionOptions.Default, CancellationToken.None);
        int total = 0;
        for (int f = 0; f < frames.Length; f++)
        {
            var alone = Assert.Single(predictor.PredictBatch([frames[f]], PredictionOptions.Default, CancellationToken.None));
            Assert.Equal(frames[f].FrameIndex, batched[f].FrameIndex);
            Assert.Equal(alone.Instances.Count, batched[f].Instances.Count);
            for (int i = 0; i < alone.Instances.Count; i++)
            {
                Assert.Equal(alone.Instances[i].Score, batched[f].Instances[i].Score);
                Assert.Equal(alone.Instances[i].Points, batched[f].Instances[i].Points);
            }
            total += alone.Instances.Count;
        }
        output.WriteLine($"{total} instances on {frames.Length} frames");
        Assert.True(total >= frames.Length);
    }

    /// <summary>
    /// A batch with more crops than one instance-model run takes (<see cref="InstancePeakStage.ChunkSize"/>) runs them
    /// in chunks: every frame still gets what predicting it alone gives, down to the last bit.
    /// </summary>
    [Fact]
    public void CropsBeyondOneModelRunGiveWhatFramesAloneGive()
    {
        var frames = Enumerable.Range(0, 8).Select(i => VideoFrame(VideoPath, 16 + i)).ToArray();
        using var predictor = new TopDownPredictor(models.Load(Centroid, CenteredInstance), new InferenceSettings());
        var raw = new PredictionOptions { IncludeRaw = true };
        var batched = predictor.PredictBatch(frames, raw, CancellationToken.None);
        int crops = batched.Sum(p => p.Raw!.NValid);
        output.WriteLine($"{crops} crops on {frames.Length} frames");
        Assert.True(crops > InstancePeakStage.ChunkSize, $"only {crops} crops: the batch needs more than {InstancePeakStage.ChunkSize} to test chunks");
        for (int f = 0; f < frames.Length; f++)
        {
            var alone = Assert.Single(predictor.PredictBatch([frames[f]], raw, CancellationToken.None));
            Assert.Equal(alone.Raw!.NValid, batched[f].Raw!.NValid);
            Assert.Equal(alone.Raw.InstancePeaks, batched[f].Raw!.InstancePeaks);
            Assert.Equal(alone.Raw.InstancePeakValues, batched[f].Raw!.InstancePeakValues);
            Assert.Equal(alone.Instances.Count, batched[f].Instances.Count);
        }
    }

    /// <summary>
    /// docs/design/references.md §2.1, test_topdown_multi_size_inference: centroid + centered instance on frames of 384x384 and of
    /// 1024x1024 in one run (each video on its own, so no resizing): every frame is predicted, and each video's frames
    /// get what a run on that video alone gives.
    /// </summary>
    [Fact]
    public void FramesOfTwoSizesInOneRunAreEachPredicted()
    {
        var pair = FrameSources.DescribeFile(Paths.Fixture(VideoPath));
        var clip = FrameSources.DescribeFile(Paths.Fixture("tracks", "clip.mp4"));
        using var predictor = new TopDownPredictor(models.Load(Centroid, CenteredInstance), new InferenceSettings());
        List<FramePrediction> Run(params Video[] videos) =>
            new PredictionPipeline(predictor, new PredictionPipelineOptions { BatchSize = 4 })
                .Run(videos.Select(v => PredictionTargets.Video(v, [0, 1])).ToList()).ToList();

        var both = Run(pair, clip);
        var (pairAlone, clipAlone) = (Run(pair), Run(clip));

        Assert.Equal([(pair, 0L), (pair, 1L), (clip, 0L), (clip, 1L)], both.Select(p => (p.Video, p.FrameIndex)));
        Assert.Equal(Describe(pairAlone.Concat(clipAlone)), Describe(both));
        Assert.All(both.Take(2), p => Assert.Equal(2, p.Instances.Count));
        output.WriteLine($"instances per frame: {string.Join(", ", both.Select(p => p.Instances.Count))}");

        static List<string> Describe(IEnumerable<FramePrediction> predictions) =>
            predictions.Select(p => string.Join(" ", p.Instances.SelectMany(i => i.Points).Select(q => $"{q.X:R},{q.Y:R}"))).ToList();
    }

    /// <summary>SLEAP's tests use 1.5: above any confidence-map value of these models.</summary>
    private static readonly InferenceSettings HighThreshold = new() { PeakThreshold = 1.5 };

    private static IReadOnlyList<Instance> MinLabelsTruth() => UserInstances(ReadLabels("slp_hdf5", "minimal_instance.slp"), 0);

    private List<PredictedInstance> Predict(string[] modelFolders, InferenceSettings settings, IReadOnlyList<Instance> truth)
    {
        var frame = VideoFrame(VideoPath, 0, truth);
        using var predictor = new TopDownPredictor(models.Load(modelFolders), settings);
        return Assert.Single(predictor.PredictBatch([frame], PredictionOptions.Default, CancellationToken.None)).Instances;
    }
}
