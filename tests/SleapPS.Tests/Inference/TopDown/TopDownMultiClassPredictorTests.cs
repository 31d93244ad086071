using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;
using Xunit.Abstractions;
using static SleapPS.Tests.Inference.TopDown.InferenceTestData;

namespace SleapPS.Tests.Inference.TopDown;

/// <summary>
/// docs/design/references.md §2.1 test_topdown_multiclass_predictor: the multi-class top-down model alone (centroids from the ground
/// truth's thorax) on frame 0 of tracks/clip.mp4, peak threshold 0.7, local refinement.
/// </summary>
public sealed class TopDownMultiClassPredictorTests(ModelFixture models, ITestOutputHelper output) : IClassFixture<ModelFixture>
{
    private static readonly string[] VideoPath = ["tracks", "clip.mp4"];

    [Fact]
    public void FindsBothAnimalsOnTheirTracks()
    {
        var truth = UserInstances(ReadLabels("tracks", "clip.2node.slp"), 0);
        var instances = Predict(new InferenceSettings { PeakThreshold = 0.7, Refinement = PeakRefinement.Local }, truth, out var predictor);

        Assert.Equal(2, instances.Count);
        var expected = truth.OrderBy(i => i.Track!.Name, StringComparer.Ordinal).ToArray();
        var actual = instances.OrderBy(i => i.Track!.Name, StringComparer.Ordinal).ToArray();
        double worstRelative = 0, worst = 0;
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(expected[i].Track!.Name, actual[i].Track!.Name);
            Assert.Same(predictor.Tracks.Single(t => t.Name == expected[i].Track!.Name), actual[i].Track);
            for (int node = 0; node < 2; node++)
            {
                var (e, a) = (expected[i].Points[node], actual[i].Points[node]);
                // numpy's assert_allclose(gt, pr, rtol=0.02): |gt - pr| <= 0.02 * |pr|.
                worstRelative = Math.Max(worstRelative, Math.Max(Math.Abs(e.X - a.X) / Math.Abs(a.X), Math.Abs(e.Y - a.Y) / Math.Abs(a.Y)));
                worst = Math.Max(worst, Math.Max(Math.Abs(e.X - a.X), Math.Abs(e.Y - a.Y)));
            }
            Assert.InRange(actual[i].TrackingScore, 0.5, 1.0);
        }
        output.WriteLine($"topdown_multiclass: largest deviation from ground truth {worst:G4} px (relative {worstRelative:G4}); " +
            string.Join("; ", actual.Select(i => $"{i.Track!.Name} score {i.Score:G6} tracking {i.TrackingScore:G6}")));
        Assert.InRange(worstRelative, 0, 0.02);
        // Ground-truth centroids have value 1; instance i is scored with the i-th crop's value (docs/design/inference.md §Q8).
        Assert.All(instances, i => Assert.Equal(1.0, i.Score));
    }

    [Fact]
    public void HighPeakThresholdFindsNothing()
    {
        var truth = UserInstances(ReadLabels("tracks", "clip.2node.slp"), 0);
        Assert.Empty(Predict(new InferenceSettings { PeakThreshold = 1.5, Refinement = PeakRefinement.Local }, truth, out _));
    }

    private List<PredictedInstance> Predict(InferenceSettings settings, IReadOnlyList<Instance> truth, out TopDownMultiClassPredictor predictor)
    {
        var frame = VideoFrame(VideoPath, 0, truth);
        predictor = new TopDownMultiClassPredictor(models.Load(TopDownMultiClass), settings);
        using (predictor)
            return Assert.Single(predictor.PredictBatch([frame], PredictionOptions.Default, CancellationToken.None)).Instances;
    }
}
