using System.Diagnostics;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Inference.Runs;
using SleapPS.Engine.Inference.Runs.Batch;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

/// <summary>
/// What a batch costs beyond its predictions (docs/design/batch-runs.md §6): frames per second of a 4-video batch
/// (BatchPrediction: a lock, a resumable .slp and a manifest update per video) against one video predicted 4 times, each
/// a PredictionRun writing its own .slp, with the same loaded top-down models. The 4 videos are links to one fixture
/// video, so both sides decode and predict the same frames.
/// </summary>
internal static class BatchBench
{
    private const int Videos = 4;

    /// <summary>At most this many frames per video: the figure is about what each video adds, and keeps the bench short.</summary>
    private const int MaxFramesPerVideo = 25;

    public static void Run(string fixtures, int frames, int repeats)
    {
        frames = Math.Min(frames, MaxFramesPerVideo);
        string folder = Directory.CreateTempSubdirectory("sleapps-bench-batch").FullName;
        try
        {
            string pair = Path.Combine(fixtures, "videos", "centered_pair_small.mp4");
            var links = Enumerable.Range(1, Videos).Select(i =>
            {
                string link = Path.Combine(folder, $"video{i}.mp4");
                File.CreateSymbolicLink(link, pair);
                return link;
            }).ToList();
            using var predictor = Predictor.Load(
                [Path.Combine(fixtures, "models", "minimal_instance.UNet.centroid"), Path.Combine(fixtures, "models", "minimal_instance.UNet.centered_instance")],
                new ModelLoadOptions { CacheFolder = Path.Combine(folder, "cache") }, new InferenceSettings());
            using var pose = PosePredictors.Create(predictor, predictor.Settings);
            var frameList = Enumerable.Range(0, frames).Select(i => (long)i).ToList();

            double BatchRun(int run)
            {
                var batch = new BatchPrediction(pose, new BatchPredictionOptions
                {
                    Predictor = predictor, Settings = predictor.Settings, OutputDirectory = Path.Combine(folder, $"batch{run}"), Frames = frameList,
                });
                var watch = Stopwatch.StartNew();
                long done = batch.Run(links.Select(l => new BatchInput(l)).ToList()).Sum(r => r.Frames);
                return done / watch.Elapsed.TotalSeconds;
            }

            double RepeatedRun(int run)
            {
                var video = SleapPS.Engine.Frames.FrameSources.DescribeFile(pair);
                var watch = Stopwatch.StartNew();
                long done = 0;
                for (int i = 0; i < Videos; i++)
                {
                    var single = new PredictionRun(pose, new PredictionRunOptions
                    {
                        Predictor = predictor, Settings = predictor.Settings, Targets = [PredictionTargets.Video(video, frameList)],
                        Output = PredictionRunOutput.File, OutputPath = Path.Combine(folder, $"single{run}-{i}.slp"),
                    });
                    single.Predict();
                    single.Complete();
                    done += single.FramesPredicted;
                }
                return done / watch.Elapsed.TotalSeconds;
            }

            BatchRun(0);   // warm-up: graphs converted and cached, sessions created
            var batchRates = Enumerable.Range(1, repeats).Select(BatchRun).Order().ToList();
            var singleRates = Enumerable.Range(1, repeats).Select(RepeatedRun).Order().ToList();
            Console.WriteLine();
            Console.WriteLine($"Batch runs (top-down minimal_instance, {Videos} videos x {frames} frames of centered_pair_small.mp4, median of {repeats} runs)");
            Console.WriteLine($"  4-video batch (-OutputDirectory): {batchRates[repeats / 2],7:0.0} frames/s");
            Console.WriteLine($"  one video predicted 4 times     : {singleRates[repeats / 2],7:0.0} frames/s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
