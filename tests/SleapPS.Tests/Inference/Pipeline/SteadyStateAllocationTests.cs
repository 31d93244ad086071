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

    private void AssertSteadyState(Predictor predictor, Func<int, IReadOnlyList<PredictionTarget>> targets, int frames, int batch)
    {
        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        var pipeline = new PredictionPipeline(pose, new PredictionPipelineOptions { BatchSize = batch });
        WarmRunAllocation.AssertOnlyPredictions(pipeline, targets, frames, output, $"{pose.Kind}, batch {batch}");
    }

    public void Dispose() => _cache.Dispose();
}
