using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.SingleInstance;
using SleapPS.Engine.Models;
using SleapPS.Tests.Inference.TopDown;
using Xunit.Abstractions;
using static SleapPS.Tests.Inference.TopDown.InferenceTestData;

namespace SleapPS.Tests.Inference.SingleInstance;

/// <summary>
/// docs/design/references.md §2.1, SLEAP's single-instance predictor tests: the robot model on frames 0 and 79 of small_robot.mp4
/// (RGB), against the user instances of slp_hdf5/small_robot_minimal.slp.
/// </summary>
public sealed class SingleInstancePredictorTests(ModelFixture models, ITestOutputHelper output) : IClassFixture<ModelFixture>
{
    private static readonly string[] VideoPath = ["videos", "small_robot.mp4"];
    private static readonly long[] Frames = [0, 79];

    [Fact]
    public void FindsTheRobotWithinSleapTolerance()
    {
        var labels = ReadLabels("slp_hdf5", "small_robot_minimal.slp");
        var predictions = Predict(new InferenceSettings());

        double worst = 0;
        for (int f = 0; f < Frames.Length; f++)
        {
            var instance = Assert.Single(predictions[f].Instances);
            var truth = Assert.Single(UserInstances(labels, Frames[f]));
            for (int node = 0; node < 2; node++)
                worst = Math.Max(worst, Math.Max(Math.Abs(truth.Points[node].X - instance.Points[node].X), Math.Abs(truth.Points[node].Y - instance.Points[node].Y)));
            // The instance score is the sum of the peak values (docs/design/inference.md §Q3: also below-threshold ones).
            Assert.Equal(instance.Points.Sum(p => (float)p.Score), (float)instance.Score, 5);
            output.WriteLine($"frame {Frames[f]}: " + string.Join(", ", instance.Points.Select(p => $"({p.X:F3}, {p.Y:F3}) {p.Score:F4}")) + $" score {instance.Score:F4}");
        }
        output.WriteLine($"single_instance: largest deviation from ground truth {worst:G4} px");
        Assert.InRange(worst, 0, 10.0);
    }

    [Fact]
    public void ZeroThresholdKeepsEveryNode()
    {
        foreach (var prediction in Predict(new InferenceSettings { PeakThreshold = 0 }))
            Assert.Equal(2, Assert.Single(prediction.Instances).PresentPointCount);
    }

    [Fact]
    public void HighThresholdMakesNoInstanceButEveryFrame()
    {
        var predictions = Predict(new InferenceSettings { PeakThreshold = 1.5 }, includeRaw: true);
        Assert.Equal(2, predictions.Count);
        Assert.All(predictions, p => Assert.Empty(p.Instances));
        // Below-threshold global peaks are NaN points whose values are kept (docs/design/inference.md §Q3).
        Assert.All(predictions, p =>
        {
            Assert.True(float.IsNaN(p.Raw!.InstancePeaks![0, 0, 0]));
            Assert.False(float.IsNaN(p.Raw.InstancePeakValues![0, 0]));
        });
    }

    private IReadOnlyList<FramePrediction> Predict(InferenceSettings settings, bool includeRaw = false)
    {
        var frames = Frames.Select(f => VideoFrame(VideoPath, f)).ToArray();
        Assert.All(frames, f => Assert.Equal(3, f.Channels));
        using var predictor = new SingleInstancePredictor(models.Load(SingleInstanceRobot), settings);
        var predictions = predictor.PredictBatch(frames, new PredictionOptions { IncludeRaw = includeRaw }, CancellationToken.None);
        Assert.Equal(Frames, predictions.Select(p => p.FrameIndex));
        return predictions;
    }
}
