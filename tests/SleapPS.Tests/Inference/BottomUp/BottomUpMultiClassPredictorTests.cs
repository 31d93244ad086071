using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.BottomUp;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.BottomUp;

/// <summary>The bottom-up multi-class predictor on tracks/clip.mp4: SLEAP's run (docs/design/references.md §2.3) and its tests (§2.1).</summary>
public class BottomUpMultiClassPredictorTests(BottomUpModels models, ITestOutputHelper output) : IClassFixture<BottomUpModels>
{
    private static readonly string Clip = Paths.Fixture("tracks", "clip.mp4");

    /// <summary>One instance of SLEAP's clip.predictions.slp (docs/design/references.md §2.3); null entries are not listed there.</summary>
    public sealed record Expected(long Frame, string Track, double[] Head, double? HeadScore, double[]? Thorax, double? ThoraxScore, double? Score, double? TrackingScore);

    public static TheoryData<Expected> SleapRun => new()
    {
        new Expected(0, "female", [447.4327, 390.6120], 0.406777, [400.1982, 420.6770], 0.970063, 0.688420, 0.999997),
        new Expected(0, "male", [332.7449, 444.5759], 1.009134, [296.9724, 452.9764], 0.966018, 0.987576, 1.000000),
        new Expected(100, "female", [447.4098, 390.6269], 0.412402, [400.2119, 420.6730], 0.974454, null, null),
        new Expected(1499, "male", [708.1498, 444.9168], 0.942321, null, null, 0.942321, null),
    };

    [Theory]
    [MemberData(nameof(SleapRun))]
    public void Reproduces_sleaps_run_on_the_clip(Expected expected)
    {
        using var predictor = new BottomUpMultiClassPredictor(models.MultiClass, new InferenceSettings());
        var frame = BottomUpModels.VideoFrames(Clip, expected.Frame).Single();

        var instances = Predict(predictor, frame).Instances;
        var instance = Assert.Single(instances, i => i.Track!.Name == expected.Track);

        double pointDeviation = Math.Max(Math.Abs(instance.Points[0].X - expected.Head[0]), Math.Abs(instance.Points[0].Y - expected.Head[1]));
        if (expected.Thorax is { } thorax)
            pointDeviation = Math.Max(pointDeviation, Math.Max(Math.Abs(instance.Points[1].X - thorax[0]), Math.Abs(instance.Points[1].Y - thorax[1])));
        else
            Assert.False(instance.Points[1].IsPresent); // thorax missing: NaN, score 0 as SLEAP stores it
        var scores = new (double? Expected, double Actual)[]
        {
            (expected.HeadScore, instance.Points[0].Score),
            (expected.ThoraxScore ?? (expected.Thorax is null ? 0.0 : null), instance.Points[1].Score),
            (expected.Score, instance.Score),
            (expected.TrackingScore, instance.TrackingScore),
        };
        double scoreDeviation = scores.Where(s => s.Expected is not null).Max(s => Math.Abs(s.Expected!.Value - s.Actual));
        output.WriteLine($"frame {expected.Frame} {expected.Track}: largest point deviation {pointDeviation:0.######} px, largest score deviation {scoreDeviation:0.########} ({instances.Count} instances)");
        Assert.InRange(pointDeviation, 0, 0.01);
        Assert.InRange(scoreDeviation, 0, 1e-4);
    }

    [Fact]
    public void Instance_counts_and_shared_tracks_follow_sleaps_run()
    {
        using var predictor = new BottomUpMultiClassPredictor(models.MultiClass, new InferenceSettings());
        var frames = BottomUpModels.VideoFrames(Clip, 0, 100, 1499);

        var predictions = predictor.PredictBatch(frames, PredictionOptions.Default, CancellationToken.None);

        Assert.Equal([2, 2, 2], predictions.Select(p => p.Instances.Count));
        Assert.Equal(["female", "male"], predictions[0].Instances.Select(i => i.Track!.Name));
        // One Track per class, made once: every frame's female is the same object.
        Assert.Same(predictions[0].Instances[0].Track, predictions[2].Instances[0].Track);
        Assert.Same(predictor.ClassTracks[1], predictions[1].Instances[1].Track);
    }

    [Fact]
    public void Matches_ground_truth_tracks_and_points_with_local_refinement()
    {
        var truth = LabelsReader.Read(Paths.Fixture("tracks", "clip.2node.slp"));
        var truthFrame = truth.LabeledFrames.Single(f => f.FrameIndex == 0);
        using var predictor = new BottomUpMultiClassPredictor(models.MultiClass,
            new InferenceSettings { PeakThreshold = 0.7, Refinement = PeakRefinement.Local });
        var frame = BottomUpModels.VideoFrames(Clip, 0).Single();

        var predicted = Predict(predictor, frame).Instances;

        Assert.Equal(2, predicted.Count);
        var expected = truthFrame.UserInstances.OrderBy(i => i.Track!.Name, StringComparer.Ordinal).ToList();
        var actual = predicted.OrderBy(i => i.Track!.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(i => i.Track!.Name), actual.Select(i => i.Track!.Name));
        double worst = 0;
        for (int m = 0; m < 2; m++)
            for (int n = 0; n < 2; n++)
                foreach (var (gt, pr) in new[] { (expected[m].Points[n].X, actual[m].Points[n].X), (expected[m].Points[n].Y, actual[m].Points[n].Y) })
                {
                    worst = Math.Max(worst, Math.Abs(gt - pr) / Math.Abs(pr));
                    Assert.True(Math.Abs(gt - pr) <= 0.02 * Math.Abs(pr), $"instance {m} node {n}: ground truth {gt}, predicted {pr}");
                }
        output.WriteLine($"multi-class vs ground truth: largest relative deviation {worst:0.#####} (SLEAP allows 0.02)");

        // With the labels file's tracks (SLEAP takes them from a LabelsReader, by index: docs/design/inference.md §Q12) the very objects are used.
        predictor.Tracks = truth.Tracks;
        var withLabelsTracks = Predict(predictor, frame).Instances;
        Assert.Equal(truth.Tracks.Take(2), withLabelsTracks.Select(i => i.Track));
    }

    [Fact]
    public void A_peak_threshold_of_1_5_leaves_no_instance()
    {
        using var predictor = new BottomUpMultiClassPredictor(models.MultiClass,
            new InferenceSettings { PeakThreshold = 1.5, Refinement = PeakRefinement.Local });
        Assert.Empty(Predict(predictor, BottomUpModels.VideoFrames(Clip, 0).Single()).Instances);
    }

    [Fact]
    public void Raw_output_has_a_row_per_class_and_the_maps_come_when_asked()
    {
        using var predictor = new BottomUpMultiClassPredictor(models.MultiClass, new InferenceSettings());
        var frame = BottomUpModels.VideoFrames(Clip, 1499).Single();

        var prediction = predictor.PredictBatch([frame], new PredictionOptions { IncludeRaw = true, IncludeMaps = true }, CancellationToken.None).Single();

        var raw = prediction.Raw!;
        Assert.Equal(2, raw.NValid);
        Assert.True(float.IsNaN(raw.InstancePeaks![1, 1, 0]));                  // male thorax missing
        Assert.True(float.IsNaN(raw.InstanceClassScores![1, 1]));
        Assert.Equal(prediction.Instances[1].Points[0].X, raw.InstancePeaks[1, 0, 0]);
        Assert.Equal(prediction.Instances[1].TrackingScore, raw.InstanceClassScores[1, 0]);
        Assert.Equal(["confmaps", "class_maps"], prediction.Maps!.Select(m => m.Name));
        Assert.Equal((256, 256, 2, 2), (prediction.Maps![1].Height, prediction.Maps[1].Width, prediction.Maps[1].Channels, prediction.Maps[1].Stride));
    }

    private static FramePrediction Predict(PosePredictor predictor, FrameInput frame) =>
        predictor.PredictBatch([frame], PredictionOptions.Default, CancellationToken.None).Single();
}
