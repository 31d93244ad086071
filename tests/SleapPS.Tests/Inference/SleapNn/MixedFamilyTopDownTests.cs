using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>
/// A SLEAP 1.4 Keras centroid model paired with a sleap-nn centered-instance model: each stage follows the rules of
/// its own model's family (docs/design/sleap-nn-inference.md). The centroids are exactly those the Keras model gives
/// under SLEAP 1.4's rules, and the instances exactly those the sleap-nn model gives, under sleap-nn's rules, on crops
/// centred at those centroids.
/// </summary>
public class MixedFamilyTopDownTests(SleapNnTestModels models, ITestOutputHelper output) : IClassFixture<SleapNnTestModels>
{
    private const string CenteredInstance = "minimal_instance_centered_instance";

    /// <summary>
    /// How far the pair's points may be from sleap-nn's own top-down predictions (topdown__pred.json, made with sleap-nn's
    /// centroid model). The two centroid models place the crops up to 1.74 px apart on this frame, and this small model's
    /// refined peaks move with the crop's grid (by no common offset). Measured on frame 0 of minimal_instance.pkg.slp:
    /// 1.05 px; the nodes of one instance are 60+ px apart, so this still says each point is the same node of the same animal.
    /// </summary>
    private const double PointToleranceFromSleapNn = 1.5;

    /// <summary>Likewise for the point scores (the confidence-map values at the moved peaks). Measured: 0.247.</summary>
    private const double PointScoreToleranceFromSleapNn = 0.3;

    private static string KerasCentroid => Paths.Fixture("models", "minimal_instance.UNet.centroid");

    [Fact]
    public void KerasCentroidsThenSleapNnInstances()
    {
        var frame = Assert.Single(SleapNnFixtures.Frames(CenteredInstance));
        var pair = models.LoadFolders(KerasCentroid, SleapNnFixtures.ModelFolder(CenteredInstance));
        Assert.Equal(ModelFamily.Sleap, pair.Centroid!.Config.Family);
        Assert.Equal(ModelFamily.SleapNn, pair.Instance!.Config.Family);
        var mixed = Predict(pair, frame);
        var raw = mixed.Raw!;
        Assert.Equal(2, raw.NValid);
        Assert.Equal(2, mixed.Instances.Count);

        // Centroid stage: SLEAP 1.4's. The Keras centroid model alone (its instances stood in by the ground truth, which
        // only needs to exist here) finds the very same centroids, bit for bit.
        var kerasAlone = models.LoadFolders(KerasCentroid);
        var stand = new Instance(kerasAlone.Skeleton, [new Point(100, 100), new Point(110, 110)]);
        var aloneRaw = Predict(kerasAlone, WithGroundTruth(frame, [stand])).Raw!;
        Assert.Equal(aloneRaw.Centroids, raw.Centroids);
        Assert.Equal(aloneRaw.CentroidValues, raw.CentroidValues);

        // They are not sleap-nn's centroids (its own centroid model, centroid__pred.json): the test tells the two apart.
        var nnCentroids = SleapNnFixtures.Predictions("centroid").Flat("pred_centroids");
        double centroidGap = 0;
        for (int i = 0; i < raw.NValid; i++)
            centroidGap = Math.Max(centroidGap, Math.Max(Math.Abs(nnCentroids[2 * i] - raw.Centroids![i, 0]), Math.Abs(nnCentroids[2 * i + 1] - raw.Centroids![i, 1])));
        output.WriteLine($"Keras centroids vs sleap-nn's: largest difference {centroidGap:G3} px");
        Assert.True(centroidGap > 1e-3, $"the Keras centroids are within {centroidGap:G3} px of sleap-nn's: this test cannot tell the stages' rules apart");

        // Instance stage: sleap-nn's. The sleap-nn model alone, given ground-truth instances whose every node sits on a
        // Keras centroid (so sleap-nn's ground-truth centroid, the mean of the visible points, is that centroid exactly),
        // crops at the same places and finds the same points and point scores, bit for bit.
        var nnAlone = models.Load(CenteredInstance);
        var standIns = new Instance[raw.NValid];
        for (int i = 0; i < standIns.Length; i++)
        {
            var centre = new Point(raw.Centroids![i, 0], raw.Centroids![i, 1]);
            standIns[i] = new Instance(nnAlone.Skeleton, [centre, centre]);
        }
        var byCentroid = Predict(nnAlone, WithGroundTruth(frame, standIns));
        Assert.Equal(raw.Centroids, byCentroid.Raw!.Centroids);
        Assert.Equal(byCentroid.Raw.InstancePeaks, raw.InstancePeaks);
        Assert.Equal(byCentroid.Raw.InstancePeakValues, raw.InstancePeakValues);
        Assert.Equal(byCentroid.Instances.Count, mixed.Instances.Count);
        for (int i = 0; i < mixed.Instances.Count; i++)
        {
            Assert.Equal(byCentroid.Instances[i].Points, mixed.Instances[i].Points);
            // Scored by its centroid's value, as every top-down instance is.
            Assert.Equal((float)mixed.Instances[i].Score, raw.CentroidValues![i]);
        }

        // And close to what sleap-nn predicts with its own centroid model.
        var expected = SleapNnFixtures.Predictions("topdown").Frames[frame.FrameIndex];
        Assert.Equal(expected.Length, mixed.Instances.Count);
        double worstPoint = 0, worstScore = 0;
        for (int i = 0; i < expected.Length; i++)
            for (int n = 0; n < expected[i].Points.Length; n++)
            {
                var got = mixed.Instances[i].Points[n];
                worstPoint = Math.Max(worstPoint, Math.Max(Math.Abs(expected[i].Points[n][0] - got.X), Math.Abs(expected[i].Points[n][1] - got.Y)));
                worstScore = Math.Max(worstScore, Math.Abs(expected[i].PointScores[n] - got.Score));
            }
        output.WriteLine($"vs sleap-nn's top-down: largest point deviation {worstPoint:G3} px, largest point score deviation {worstScore:G3}");
        Assert.True(worstPoint <= PointToleranceFromSleapNn, $"points {worstPoint:G3} px from sleap-nn's top-down (tolerance {PointToleranceFromSleapNn})");
        Assert.True(worstScore <= PointScoreToleranceFromSleapNn, $"point scores {worstScore:G3} from sleap-nn's top-down (tolerance {PointScoreToleranceFromSleapNn})");
    }

    private static FramePrediction Predict(Predictor predictor, FrameInput frame)
    {
        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        return Assert.Single(pose.PredictBatch([frame], new PredictionOptions { IncludeRaw = true }, CancellationToken.None));
    }

    private static FrameInput WithGroundTruth(FrameInput frame, IReadOnlyList<Instance> instances) =>
        new(frame.Video, frame.FrameIndex, frame.Pixels, frame.Height, frame.Width, frame.Channels) { GroundTruth = instances };
}
