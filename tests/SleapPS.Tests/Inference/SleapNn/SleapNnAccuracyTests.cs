using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Inference.SleapNn;
using SleapPS.Engine.Models;
using Xunit.Abstractions;
using static SleapPS.Tests.Inference.SleapNn.Deviation;

namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>
/// The six sleap-nn pipelines end to end on sleap-nn's trained fixture models, fed the exact frames sleap-nn was given
/// (expected/*__frames.npz), against sleap-nn's own predictions (expected/*__pred.json): same instances in the same
/// order, points within 0.01 px, scores within 1e-4, tracks and tracking scores for the multi-class models
/// (docs/design/sleap-nn-inference.md, every section).
/// </summary>
public class SleapNnAccuracyTests(SleapNnTestModels models, ITestOutputHelper output) : IClassFixture<SleapNnTestModels>
{
    private const double PointTolerance = 0.01;
    private const double ScoreTolerance = 1e-4;

    private const string Centroid = "minimal_instance_centroid";
    private const string CenteredInstance = "minimal_instance_centered_instance";
    private const string MultiClassCenteredInstance = "minimal_instance_multiclass_centered_instance";

    [Theory]
    [InlineData("single_instance", "minimal_instance_single_instance", new[] { "minimal_instance_single_instance" })]
    [InlineData("topdown", Centroid, new[] { Centroid, CenteredInstance })]
    [InlineData("topdown_multiclass", Centroid, new[] { Centroid, MultiClassCenteredInstance })]
    [InlineData("bottomup", "minimal_instance_bottomup", new[] { "minimal_instance_bottomup" })]
    [InlineData("multiclass_bottomup", "minimal_instance_multiclass_bottomup", new[] { "minimal_instance_multiclass_bottomup" })]
    public void PredictionsMatchSleapNn(string pipeline, string framesOf, string[] modelNames)
    {
        var predictions = Predict(modelNames, framesOf);
        var expected = SleapNnFixtures.Predictions(pipeline);
        double worstPoint = 0, worstScore = 0;
        foreach (var prediction in predictions)
        {
            var want = expected.Frames[prediction.FrameIndex];
            Assert.Equal(want.Length, prediction.Instances.Count);
            for (int i = 0; i < want.Length; i++)
            {
                var got = prediction.Instances[i];
                for (int n = 0; n < want[i].Points.Length; n++)
                {
                    worstPoint = Math.Max(worstPoint, Near(want[i].Points[n][0], got.Points[n].X, PointTolerance));
                    worstPoint = Math.Max(worstPoint, Near(want[i].Points[n][1], got.Points[n].Y, PointTolerance));
                    if (!double.IsNaN(want[i].Points[n][0]))
                        worstScore = Math.Max(worstScore, Near(want[i].PointScores[n], got.Points[n].Score, ScoreTolerance));
                }
                worstScore = Math.Max(worstScore, Near(want[i].Score, got.Score, ScoreTolerance));
                Assert.Equal(want[i].Track, got.Track?.Name);
                if (want[i].TrackingScore is double tracking)
                    worstScore = Math.Max(worstScore, Near(tracking, got.TrackingScore, ScoreTolerance));
            }
        }
        output.WriteLine($"{pipeline}: largest point deviation {worstPoint:G3} px, largest score deviation {worstScore:G3}");
    }

    /// <summary>
    /// §8: a centroid model alone gives its centroids as one-point instances on sleap-nn's one-node "centroid" skeleton,
    /// scored by the centroid value (centroid__pred.json records the centroids and values).
    /// </summary>
    [Fact]
    public void CentroidAloneGivesCentroidInstances()
    {
        var predictor = models.Load(Centroid);
        Assert.True(predictor.Plan.CentroidOnly);
        Assert.False(predictor.InstanceFromGroundTruth);
        Assert.Equal([CentroidInstances.NodeName], predictor.Skeleton.NodeNames);
        var prediction = Assert.Single(Predict([Centroid], Centroid));
        var expected = SleapNnFixtures.Predictions("centroid");
        var centroids = expected.Flat("pred_centroids");
        var values = expected.Flat("pred_centroid_values");
        Assert.Equal(values.Length, prediction.Instances.Count);
        double worstPoint = 0, worstScore = 0;
        for (int i = 0; i < values.Length; i++)
        {
            var instance = prediction.Instances[i];
            Assert.Same(predictor.Skeleton, instance.Skeleton);
            worstPoint = Math.Max(worstPoint, Near(centroids[2 * i], instance.Points[0].X, PointTolerance));
            worstPoint = Math.Max(worstPoint, Near(centroids[2 * i + 1], instance.Points[0].Y, PointTolerance));
            worstScore = Math.Max(worstScore, Near(values[i], instance.Points[0].Score, ScoreTolerance));
            worstScore = Math.Max(worstScore, Near(values[i], instance.Score, ScoreTolerance));
        }
        output.WriteLine($"centroid: largest point deviation {worstPoint:G3} px, largest score deviation {worstScore:G3}");
    }

    /// <summary>§9: the multi-class top-down model finds no point above the threshold, so sleap-nn (and SleapPS) keep no instance.</summary>
    [Fact]
    public void MultiClassTopDownDropsInstancesWithoutPoints()
    {
        var prediction = Assert.Single(Predict([Centroid, MultiClassCenteredInstance], Centroid));
        Assert.Empty(prediction.Instances);
        var raw = Assert.Single(Predict([Centroid, MultiClassCenteredInstance], Centroid, includeRaw: true)).Raw!;
        var scores = SleapNnFixtures.Predictions("topdown_multiclass").Flat("instance_tracking_scores");
        Assert.Equal(scores.Length, raw.InstanceScores!.Length);
        for (int i = 0; i < scores.Length; i++)
            Near(scores[i], raw.InstanceScores[i], ScoreTolerance);
    }

    private IReadOnlyList<FramePrediction> Predict(string[] modelNames, string framesOf, bool includeRaw = false)
    {
        var predictor = models.Load(modelNames);
        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        return pose.PredictBatch(SleapNnFixtures.Frames(framesOf), new PredictionOptions { IncludeRaw = includeRaw }, CancellationToken.None);
    }
}
