using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.Pipeline;

/// <summary>
/// The project's rule, no per-frame allocations in hot loops, on the real pipeline with SLEAP's light models: once a run
/// has warmed the buffers (frame pool, model inputs and outputs, grouping workspaces), a second run over the same frames
/// allocates only the predictions it returns (a FramePrediction, its instances and their points: a few hundred bytes a
/// frame). Anything that allocated a frame buffer, a map or an array per frame would take tens of kilobytes a frame
/// (decoding and preprocessing allocated 42 KB a frame here before). Counted on all threads, so it runs alone; a run's
/// own costs (threads, channels, opening the video) are left out by comparing a short and a long warm run.
/// </summary>
[Collection(nameof(PipelineMemoryTests))]
public sealed class SteadyStateAllocationTests(ITestOutputHelper output) : IDisposable
{
    private const double MaxBytesPerFrame = 2048;
    private readonly TempDir _cache = new();

    [Theory]
    [InlineData("minimal_robot.UNet.single_instance", "videos/small_robot.mp4", 1)]
    [InlineData("minimal_robot.UNet.single_instance", "videos/small_robot.mp4", 4)]
    [InlineData("min_tracks_2node.UNet.bottomup_multiclass", "tracks/clip.mp4", 4)]
    public void A_warm_run_allocates_only_its_predictions(string model, string video, int batch)
    {
        using var predictor = Load(model);
        var source = FrameSources.DescribeFile(Paths.Fixture(video.Split('/')));
        int frames = model.Contains("bottomup") ? 48 : 160;
        AssertSteadyState(predictor, count => [PredictionTargets.Video(source, FrameList.Parse($"0-{count - 1}").Expand())], frames, batch);
    }

    [Fact]
    public void A_warm_top_down_multi_class_run_on_labelled_frames_allocates_only_its_predictions()
    {
        using var predictor = Load("min_tracks_2node.UNet.topdown_multiclass");
        var labelled = PredictionTargets.LabeledFrames(LabelsReader.Read(Paths.Fixture("tracks", "clip.slp")))[0];
        AssertSteadyState(predictor, count => [new PredictionTarget(labelled.Video, labelled.Frames!.Take(count).ToList(), labelled.GroundTruth)], 160, 4);
    }

    private Predictor Load(string model) =>
        Predictor.Load([Paths.Fixture("models", model)], new ModelLoadOptions { CacheFolder = _cache.FullName }, new InferenceSettings());

    /// <param name="targets">The first frames of the same video, as many as asked for.</param>
    /// <param name="frames">Frames of the long run; the short run has a third of them.</param>
    private void AssertSteadyState(Predictor predictor, Func<int, IReadOnlyList<PredictionTarget>> targets, int frames, int batch)
    {
        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        var pipeline = new PredictionPipeline(pose, new PredictionPipelineOptions { BatchSize = batch });
        pipeline.Run(targets(frames)).LongCount();

        (long Bytes, long Instances) Run(int count)
        {
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true), instances = 0;
            foreach (var prediction in pipeline.Run(targets(count)))
                instances += prediction.Instances.Count;
            return (GC.GetTotalAllocatedBytes(precise: true) - before, instances);
        }
        int shortRun = frames / 3;
        // Up to three measurements, the least counts: an allocation made per frame shows in every one, while a runtime
        // thread's one-off allocation during a measurement (more likely on a loaded machine) shows in one at most.
        double perFrame = double.MaxValue;
        long instances = 0;
        for (int attempt = 0; attempt < 3 && perFrame >= MaxBytesPerFrame; attempt++)
        {
            var (shortBytes, _) = Run(shortRun);
            var (longBytes, found) = Run(frames);
            perFrame = Math.Min(perFrame, (double)(longBytes - shortBytes) / (frames - shortRun));
            instances = found;
            output.WriteLine($"{pose.Kind}, batch {batch}, try {attempt + 1}: {shortBytes} bytes for {shortRun} frames, {longBytes} for {frames}");
        }

        output.WriteLine($"{pose.Kind}, batch {batch}: {perFrame:0} bytes allocated a frame; {instances / (double)frames:0.0} instances a frame");
        Assert.True(instances > 0, "the run found no instances: the bound would not cover the predictions");
        Assert.True(perFrame < MaxBytesPerFrame, $"{perFrame:0} bytes allocated a frame in a warm run; at most {MaxBytesPerFrame} expected");
    }

    public void Dispose() => _cache.Dispose();
}
