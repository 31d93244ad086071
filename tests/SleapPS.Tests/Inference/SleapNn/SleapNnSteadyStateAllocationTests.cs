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
    private const double MaxBytesPerFrame = 2048;
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
        IReadOnlyList<PredictionTarget> Targets(int count) => [FrameSelection.Video(source, FrameRanges.Parse($"0-{count - 1}"))];
        pipeline.Run(Targets(frames)).LongCount();
        (long Bytes, long Instances) Run(int count)
        {
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true), instances = 0;
            foreach (var prediction in pipeline.Run(Targets(count)))
                instances += prediction.Instances.Count;
            return (GC.GetTotalAllocatedBytes(precise: true) - before, instances);
        }
        int shortRun = frames / 3;
        // The count covers every thread of the process, so work elsewhere (the runtime's own threads on a busy machine)
        // can only add to it: the smallest of three measurements is the pipeline's own figure.
        double perFrame = double.MaxValue;
        long instances = 0;
        for (int attempt = 0; attempt < 3 && perFrame >= MaxBytesPerFrame; attempt++)
        {
            var (shortBytes, _) = Run(shortRun);
            var (longBytes, found) = Run(frames);
            perFrame = Math.Min(perFrame, (double)(longBytes - shortBytes) / (frames - shortRun));
            instances = found;
        }
        output.WriteLine($"{pose.Kind} ({string.Join(", ", models)}): {perFrame:0} bytes allocated a frame; {instances / (double)frames:0.0} instances a frame");
        Assert.True(instances > 0, "the run found no instances: the bound would not cover the predictions");
        Assert.True(perFrame < MaxBytesPerFrame, $"{perFrame:0} bytes allocated a frame in a warm run; at most {MaxBytesPerFrame} expected");
    }

    public void Dispose() => _models.Dispose();
}
