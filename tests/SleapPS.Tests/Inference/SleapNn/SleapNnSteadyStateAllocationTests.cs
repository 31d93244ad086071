using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Models;
using SleapPS.Tests.Inference.Pipeline;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>
/// The no-per-frame-allocation rule for sleap-nn models: a warm run over the same frames allocates only its predictions
/// (as <see cref="SteadyStateAllocationTests"/> measures it), with sleap-nn's resize (input scale 0.5), crops and grouping.
/// </summary>
[Collection(nameof(PipelineMemoryTests))]
public sealed class SleapNnSteadyStateAllocationTests(ITestOutputHelper output) : IDisposable
{
    private readonly SleapNnTestModels _models = new();

    [Theory]
    [InlineData("small_robot.mp4", 120, new[] { "minimal_instance_single_instance" })]
    [InlineData("centered_pair_small.mp4", 60, new[] { "minimal_instance_centroid", "minimal_instance_centered_instance" })]
    [InlineData("centered_pair_small.mp4", 60, new[] { "minimal_instance_bottomup" })]
    [InlineData("centered_pair_small.mp4", 60, new[] { "minimal_instance_multiclass_bottomup" })]
    public void A_warm_run_allocates_only_its_predictions(string video, int frames, string[] models)
    {
        var predictor = _models.Load(models);
        var source = FrameSources.DescribeFile(Path.Combine(SleapNnFixtures.Root, "datasets", video));
        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        var pipeline = new PredictionPipeline(pose, new PredictionPipelineOptions { BatchSize = 4 });
        IReadOnlyList<PredictionTarget> Targets(int count) => [PredictionTargets.Video(source, FrameList.Parse($"0-{count - 1}").Expand())];
        WarmRunAllocation.AssertOnlyPredictions(pipeline, Targets, frames, output, $"{pose.Kind} ({string.Join(", ", models)})");
    }

    public void Dispose() => _models.Dispose();
}
