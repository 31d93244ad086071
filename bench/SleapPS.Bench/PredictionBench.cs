using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Models;

/// <summary>
/// Prediction figures: for each predictor and batch size, end-to-end frames/s through the streaming pipeline, the
/// models alone (ONNX Run on ready batches) in frames/s, their ratio, per-stage time and peak memory; and, in child
/// processes, the peak working set of a whole run written with the resumable writer for 100 and 1100 frames.
/// </summary>
internal static class PredictionBench
{
    /// <param name="Labels">For a predictor that takes centroids from ground truth: the labels whose labelled frames it runs on.</param>
    /// <param name="MemoryFigures">Whether to measure 100 vs 1100 frames (slow models are left out to keep the bench short).</param>
    /// <param name="MemoryVideo">The video of the memory figures when not <paramref name="Video"/>: one with 1100 frames, so
    /// that the run is one pass as a user's would be (a shorter video is looped, one pipeline run and output file a pass).</param>
    internal sealed record Case(string Name, string[] Models, string Video, string? Labels = null, bool MemoryFigures = true, string? MemoryVideo = null);

    internal static Case[] Cases(string fixtures)
    {
        string Model(string name) => Path.Combine(fixtures, "models", name);
        // sleap-nn's fixtures sit beside SLEAP's: its trained checkpoints and its own ONNX exports of them.
        string sleapNn = Path.GetFullPath(Path.Combine(fixtures, "..", "sleap-nn"));
        string Checkpoint(string name) => Path.Combine(sleapNn, "model_ckpts", "minimal_instance_" + name);
        string Export(string name) => Path.Combine(sleapNn, "exports", name);
        string pair = Path.Combine(fixtures, "videos", "centered_pair_small.mp4");
        string robot = Path.Combine(fixtures, "videos", "small_robot.mp4");
        // Each Keras row is followed by the sleap-nn rows of the same kind (checkpoint, then export), so their figures
        // sit next to each other. The sleap-nn models were trained on 384x384 frames like centered_pair_small.mp4's.
        return
        [
            new("single instance", [Model("minimal_robot.UNet.single_instance")], robot),
            new("  sleap-nn ckpt", [Checkpoint("single_instance")], robot, MemoryFigures: false),
            // The export is traced at full resolution (input scale 1): small_robot's 320x560 frames.
            new("  sleap-nn export", [Export("single_instance_input_scale1")], robot, MemoryFigures: false),
            // The issue's memory video (small_robot.mp4 has 166 frames); the robot model takes the grey frames as RGB.
            new("single instance (pair video)", [Model("minimal_robot.UNet.single_instance")], robot, MemoryVideo: pair),
            new("top-down", [Model("minimal_instance.UNet.centroid"), Model("minimal_instance.UNet.centered_instance")], pair),
            new("  sleap-nn ckpt", [Checkpoint("centroid"), Checkpoint("centered_instance")], pair, MemoryFigures: false),
            new("  sleap-nn export", [Export("topdown")], pair, MemoryFigures: false),
            // The fixtures have no centroid model for the two-fly data: ground-truth centroids from clip.slp's labelled frames.
            new("top-down multi-class (GT centroids)", [Model("min_tracks_2node.UNet.topdown_multiclass")], Path.Combine(fixtures, "tracks", "clip.mp4"),
                Labels: Path.Combine(fixtures, "tracks", "clip.slp"), MemoryFigures: false),
            new("  sleap-nn ckpt (with centroids)", [Checkpoint("centroid"), Checkpoint("multiclass_centered_instance")], pair, MemoryFigures: false),
            new("  sleap-nn export", [Export("topdown_multiclass")], pair, MemoryFigures: false),
            new("bottom-up", [Model("minimal_instance.UNet.bottomup")], pair),
            new("  sleap-nn ckpt", [Checkpoint("bottomup")], pair, MemoryFigures: false),
            new("  sleap-nn export", [Export("bottomup")], pair, MemoryFigures: false),
            new("bottom-up multi-class 1024x1024", [Model("min_tracks_2node.UNet.bottomup_multiclass")], Path.Combine(fixtures, "tracks", "clip.mp4"), MemoryFigures: false),
            new("  sleap-nn ckpt 384x384", [Checkpoint("multiclass_bottomup")], pair, MemoryFigures: false),
            new("centroid alone: sleap-nn ckpt", [Checkpoint("centroid")], pair, MemoryFigures: false),
            new("  sleap-nn export", [Export("centroid")], pair, MemoryFigures: false),
        ];
    }

    /// <param name="repeats">End-to-end runs per predictor and batch size; the table shows their medians.</param>
    /// <param name="only">Run only the cases whose name contains this (null: all).</param>
    /// <param name="load">The device and precision the models load with (the rows say which).</param>
    /// <param name="batches">The batch sizes of the rows.</param>
    /// <param name="memoryFigures">Whether to measure the whole-run memory figures (child processes, on the CPU in float32).</param>
    public static void Run(string fixtures, int frames, int repeats, string? only, ModelLoadOptions load, int[] batches, bool memoryFigures = true)
    {
        var cases = Cases(fixtures).Where(c => only is null || c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToArray();
        Console.WriteLine();
        Console.WriteLine($"Prediction on {load.Device}, {load.Precision} ({frames} frames per run, median of {repeats} runs; stage times in ms per frame of the end-to-end run, on their own threads;");
        Console.WriteLine("  model f/s = the models alone on ready batches; group = part of post; alloc = managed bytes allocated per frame, all threads,");
        Console.WriteLine("  in a run after a first run over the same frames; cpu = CPU time of the whole process per frame, end to end / models alone;");
        Console.WriteLine("  peak ws = the process's largest working set during the end-to-end runs, sampled once a batch)");
        Console.WriteLine($"  {"predictor",-33} {"batch",5} {"e2e f/s",8} {"model f/s",9} {"ratio",5} {"decode",7} {"preproc",7} {"model",7} {"post",7} {"group",7} {"wait",7} {"alloc",8} {"cpu e2e/model",13} {"peak ws",8}");
        foreach (var c in cases.Where(c => c.MemoryVideo is null))
        {
            using var predictor = Predictor.Load(c.Models, load, new InferenceSettings());
            foreach (int batch in batches)
            {
                var settings = new InferenceSettings { BatchSize = batch };
                var targets = Targets(c, frames);
                var video = targets[0].Video;
                var runs = Enumerable.Range(0, repeats).Select(_ => EndToEnd(predictor, settings, video, targets)).ToList();
                double cropsPerFrame = runs[0].CropsPerFrame;
                var (modelMsPerFrame, modelCpuMsPerFrame) = ModelOnly(predictor, video, batch, cropsPerFrame);
                double modelFps = 1000 / modelMsPerFrame;
                double Median(Func<EndToEndRun, double> figure) => MedianOf(runs.Select(figure));
                double PerFrame(Func<PipelineStatistics, TimeSpan> stage) => Median(r => stage(r.Stats).TotalMilliseconds / r.Stats.Frames);
                double e2e = Median(r => r.Stats.FramesPerSecond);
                Console.WriteLine($"  {c.Name,-33} {batch,5} {e2e,8:0.0} {modelFps,9:0.0} {e2e / modelFps,5:0.00} {PerFrame(s => s.DecodeTime),7:0.00} " +
                                  $"{PerFrame(s => s.PreprocessTime),7:0.00} {PerFrame(s => s.ModelTime),7:0.00} {PerFrame(s => s.PostprocessTime),7:0.00} " +
                                  $"{PerFrame(s => s.GroupingTime),7:0.000} {PerFrame(s => s.PredictorWaitTime),7:0.00} {Median(r => r.AllocatedPerFrame) / 1024,6:0.0}KB" +
                                  $" {Median(r => r.CpuMsPerFrame),6:0.00}/{modelCpuMsPerFrame:0.00}" +
                                  $" {runs.Max(r => r.PeakWorkingSet) / (1024 * 1024),5}MiB");
            }
        }
        Console.WriteLine($"  peak working set so far: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
        if (!memoryFigures) return;

        Console.WriteLine();
        Console.WriteLine("Peak working set of a whole run with -OutputPath (own process each: load, predict, write parts, merge; median of 3)");
        foreach (var c in cases.Where(c => c.MemoryFigures))
        {
            long small = MedianPeak(c, 100), large = MedianPeak(c, 1100);
            Console.WriteLine($"  {c.Name,-33} 100 frames {small / (1024 * 1024),5} MiB, 1100 frames {large / (1024 * 1024),5} MiB ({100.0 * (large - small) / small:+0.0;-0.0}%)");
        }
    }

    private static long MedianPeak(Case c, int frames) => (long)MedianOf(Enumerable.Range(0, 3).Select(_ => (double)Child(c, frames)));

    internal static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Child-process entry: one run of <paramref name="frames"/> frames into a resumable .slp; prints the peak working set.</summary>
    public static int Memory(string fixtures, string caseName, int frames)
    {
        var c = Cases(fixtures).Single(x => x.Name == caseName);
        using var predictor = Predictor.Load(c.Models, new ModelLoadOptions(), new InferenceSettings());
        var video = FrameSources.DescribeFile(c.MemoryVideo ?? c.Video);
        // clip.mp4 has 1500 frames; the others fewer than 1100 loop from the start.
        var indices = Enumerable.Range(0, frames).Select(i => (long)(i % (int)video.FrameCount!.Value)).ToList();
        var targets = new List<PredictionTarget>();
        for (int start = 0; start < indices.Count; start += (int)video.FrameCount!.Value)
            targets.Add(PredictionTargets.Video(video, indices.Skip(start).Take((int)video.FrameCount!.Value).ToList()));
        string folder = Directory.CreateTempSubdirectory("sleapps-bench-mem").FullName;
        try
        {
            using var pose = PosePredictors.Create(predictor, predictor.Settings);
            // One writer for the whole run, as a user's run has: a looped video repeats frame numbers, which the writer
            // keeps as they come (it dedupes nothing; only a resumed run looks at which frames are done).
            var writer = new ResumableSlpWriter(Path.Combine(folder, "out.slp"), predictor.Skeleton, [video], "bench", false);
            var pipeline = new PredictionPipeline(pose, new PredictionPipelineOptions { BatchSize = 4 });
            long done = 0;
            // SLEAPPS_BENCH_TRACE=1: the working set, managed heap and private bytes every 100 frames, on stderr.
            var trace = Environment.GetEnvironmentVariable("SLEAPPS_BENCH_TRACE") is not null;
            var proc = Process.GetCurrentProcess();
            var clock = Stopwatch.StartNew();
            void Mark(string what)
            {
                if (!trace) return;
                proc.Refresh();
                var gc = GC.GetGCMemoryInfo();
                Console.Error.WriteLine($"{what,-12} {clock.Elapsed.TotalSeconds,7:0.0} s frames {done,5} ws {proc.WorkingSet64 >> 20,5} peak {proc.PeakWorkingSet64 >> 20,5} heap {gc.HeapSizeBytes >> 20,4} committed {gc.TotalCommittedBytes >> 20,4} private {proc.PrivateMemorySize64 >> 20,5}");
            }
            Mark("start");
            foreach (var prediction in pipeline.Run(targets))
            {
                writer.Add(prediction);
                if (++done % 100 == 0) Mark("predict");
            }
            Mark("pre-merge");
            writer.Complete(new Dictionary<string, object?>());
            Mark("merged");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Console.WriteLine(Process.GetCurrentProcess().PeakWorkingSet64);
        return 0;
    }

    private static long Child(Case c, int frames)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(PredictionBench).Assembly.Location);
        foreach (string a in new[] { "--memory", c.Name, frames.ToString() }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return long.TryParse(text.Trim().Split('\n')[^1], out long peak) ? peak : -1;
    }

    /// <summary>The first <paramref name="frames"/> frames of a case's video (or of its labelled frames).</summary>
    internal static IReadOnlyList<PredictionTarget> Targets(Case c, int frames)
    {
        var video = FrameSources.DescribeFile(c.Video);
        int count = (int)Math.Min(frames, video.FrameCount ?? frames);
        return c.Labels is null
            ? [PredictionTargets.Video(video, FrameList.Parse($"0-{count - 1}").Expand())]
            : FirstFrames(PredictionTargets.LabeledFrames(SleapPS.Engine.IO.LabelsReader.Read(c.Labels)), count);
    }

    private static IReadOnlyList<PredictionTarget> FirstFrames(IReadOnlyList<PredictionTarget> targets, int count)
    {
        var first = targets[0];
        return [new PredictionTarget(first.Video, first.Frames!.Take(count).ToList(), first.GroundTruth)];
    }

    /// <param name="PeakWorkingSet">The process's largest working set seen during the run (sampled once a batch).</param>
    internal sealed record EndToEndRun(PipelineStatistics Stats, double CropsPerFrame, double AllocatedPerFrame, double CpuMsPerFrame, long PeakWorkingSet);

    internal static EndToEndRun EndToEnd(Predictor predictor, InferenceSettings settings, Video video, IReadOnlyList<PredictionTarget> targets)
    {
        using var pose = PosePredictors.Create(predictor, settings);
        long peakWorkingSet = 0;
        var pipeline = new PredictionPipeline(pose, new PredictionPipelineOptions
        {
            BatchSize = settings.BatchSize,
            Progress = _ => peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet),
        });
        // Warm-up: a first run over the same frames, so that the first model runs, the buffers' first growth (the frame
        // pool fills up to every frame in flight) and the JIT's recompilations are not counted: the figures are a long run's.
        foreach (var _ in pipeline.Run(targets)) { }
        GC.Collect();
        double cpu = ProcessCpu.Milliseconds();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        long instances = 0, frames = 0;
        foreach (var prediction in pipeline.Run(targets))
        {
            instances += prediction.Instances.Count;
            frames++;
        }
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        double cpuMs = ProcessCpu.Milliseconds() - cpu;
        return new EndToEndRun(pipeline.Statistics, (double)instances / frames, (double)allocated / frames, cpuMs / frames, peakWorkingSet);
    }

    /// <summary>A ready NHWC float batch of the frame preprocessed for a network (crops: zeros of the crop size).</summary>
    private static OrtValue NetworkInput(byte[] pixels, int frameHeight, int frameWidth, int frameChannels, int channels, double scale, int padTo,
        bool crops, int samples, int height, int width)
    {
        var input = new float[samples * height * width * channels];
        if (!crops)
            for (int i = 0; i < samples; i++)
                ImagePreprocessor.ToModelInput(pixels, frameHeight, frameWidth, frameChannels, channels, scale, padTo,
                    input.AsSpan(i * height * width * channels, height * width * channels), height, width);
        return OrtValue.CreateTensorValueFromMemory(input, [samples, height, width, channels]);
    }

    /// <summary>A sleap-nn export's input: the frame as uint8 NCHW (its graph resizes and normalises itself).</summary>
    private static OrtValue ExportInput(byte[] hwc, int height, int width, int frameChannels, int channels, int samples)
    {
        var input = new byte[samples * channels * height * width];
        for (int s = 0; s < samples; s++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < height * width; p++)
                    input[((s * channels) + c) * height * width + p] = hwc[p * frameChannels + Math.Min(c, frameChannels - 1)];
        return OrtValue.CreateTensorValueFromMemory(input, [samples, channels, height, width]);
    }

    /// <summary>
    /// The models alone: ONNX Run on ready batches of real preprocessed frames (and, for the instance model of top-down,
    /// as many crops per frame as the end-to-end run found instances): wall and process CPU time in ms per frame.
    /// </summary>
    internal static (double WallMs, double CpuMs) ModelOnly(Predictor predictor, Video video, int batch, double cropsPerFrame)
    {
        using var source = FrameSources.Open(video);
        var pixels = source.ReadFrame(0);
        double modelMs = 0, cpuMs = 0;
        foreach (var model in predictor.Models)
        {
            var config = model.Config;
            bool crops = config.ModelType is SleapPS.Engine.Models.Config.ModelType.CenteredInstance or SleapPS.Engine.Models.Config.ModelType.MultiClassTopDown;
            int channels = model.InputShape.Channels;
            int padTo = config.Preprocessing.PadToStride ?? config.MaxStride;
            double scale = config.Preprocessing.InputScaling;
            int height, width, samples;
            if (crops)
            {
                height = model.InputShape.Height ?? config.InstanceCropping.CropSize ?? 96;
                width = model.InputShape.Width ?? config.InstanceCropping.CropSize ?? 96;
                samples = Math.Max(1, (int)Math.Round(cropsPerFrame * batch));
            }
            else
            {
                (height, width) = ImagePreprocessor.OutputSize(source.Height, source.Width, scale, padTo);
                samples = batch;
            }
            using var tensor = model.Format == ModelFormat.SleapNnOnnx
                ? ExportInput(pixels, source.Height, source.Width, source.Channels, channels, samples)
                : NetworkInput(pixels, source.Height, source.Width, source.Channels, channels, scale, padTo, crops, samples, height, width);
            using (model.Session.Run(tensor)) { }
            var times = new List<double>();
            var cpus = new List<double>();
            for (int run = 0; run < 5; run++)
            {
                double cpu = ProcessCpu.Milliseconds();
                var clock = Stopwatch.StartNew();
                using (model.Session.Run(tensor)) { }
                times.Add(clock.Elapsed.TotalMilliseconds);
                cpus.Add(ProcessCpu.Milliseconds() - cpu);
            }
            modelMs += MedianOf(times) / batch;
            cpuMs += MedianOf(cpus) / batch;
        }
        return (modelMs, cpuMs);
    }
}
