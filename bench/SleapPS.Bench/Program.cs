using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models;
using SleapPS.Engine.Tracking;

// Prints how long labels I/O, frame decoding and prediction take on SLEAP's fixtures, and peak memory.
// Usage: dotnet run -c Release --project bench/SleapPS.Bench [-- <fixtures folder>] [--frames N] [--repeat N] [--case NAME] [--predict-only]
//        [--device Cpu|Cuda|Cuda:N|TensorRT] [--precision Float32|Float16] [--batches 1,4,16]
//   (or -- --trajectories: only the trajectory cleaning and kinematics figures)
//   (--join N alone: only the figure of joining a 100,000-frame run's parts from N shards)
//   --frames: frames per prediction run (100); --repeat: end-to-end runs per figure, medians shown (3);
//   --case: only the predictors whose name contains NAME ("batch": only the batch figures); --predict-only: skip the labels I/O and decoding figures;
//   --formats-only: only the NWB / DeepLabCut / COCO / package figures.
//   --labels-ops: only the labels-operation figures (merge, split, subsets, renames, video paths, instance filters).
//   --device, --precision: what the prediction rows run on (Cpu, Float32 by default); --batches: their batch sizes;
//   --no-memory: skip the whole-run memory figures (child processes).
//   --video-seek: only the figures of reading an evenly spaced video against a variable-frame-rate one (needs ffmpeg).
// GPU check: SleapPS.Bench --gpu-check <folder holding sleap/ and sleap-nn/ fixtures> [--cpu-only] [--device Cuda]
//   [--frames 32] [--batches 1,8,32] [--repeat 3] [--case NAME] [--report file.md] [--accuracy-only] (tools/gpu/check-gpu.sh runs it).
if (args.Length >= 2 && args[0] == "--merge")    // child process of the merge figures
    return MergeBench.Child(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap")), int.Parse(args[1]));
if (args.Length >= 1 && args[0] == "--trajectories") // only the trajectory figures
{
    TrajectoryBench.Run(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap")));
    return 0;
}
if (args.Length >= 2 && args[0] == "--join")     // child process of the join figures
    return JoinBench.Child(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap")), int.Parse(args[1]));
if (args.Length >= 3 && args[0] == "--memory")   // child process of the prediction memory figures
    return PredictionBench.Memory(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap")), args[1], int.Parse(args[2]));
if (args.Contains("--video-seek"))   // only the evenly spaced / variable-frame-rate figures
{
    VideoSeekBench.Run();
    return 0;
}
if (args.Contains("--labels-ops"))   // only the labels-operation figures
{
    LabelsOperationsBench.Run(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap")));
    return 0;
}
if (args.Length >= 3 && args[0] == "--gpu-check")   // the GPU check (docs/design/gpu.md §8): SleapPS.Bench --gpu-check <fixtures> [options]
    return GpuCheck.Run(Path.GetFullPath(args[1]), new GpuCheck.Options(
        Option("--device") is { } checkedDevice ? ParseDevice(checkedDevice) : ExecutionDevice.Cuda,
        args.Contains("--cpu-only"),
        Option("--frames") is { } checkFrames ? int.Parse(checkFrames) : 32,
        Option("--batches") is { } checkBatches ? checkBatches.Split(',').Select(int.Parse).ToArray() : [1, 8, 32],
        Option("--repeat") is { } checkRepeats ? int.Parse(checkRepeats) : 3,
        Option("--case"),
        Option("--report"),
        args.Contains("--accuracy-only")));
int predictFrames = args.SkipWhile(a => a != "--frames").Skip(1).Select(int.Parse).FirstOrDefault(100);
// --device / --precision: the device and number format the prediction rows load their models with (rows say which).
var load = new ModelLoadOptions
{
    Device = Option("--device") is { } device ? ParseDevice(device) : ExecutionDevice.Cpu,
    Precision = Option("--precision") is { } precision ? Enum.Parse<ModelPrecision>(precision, ignoreCase: true) : ModelPrecision.Float32,
};
int[] batches = Option("--batches") is { } batchList ? batchList.Split(',').Select(int.Parse).ToArray() : [1, 4, 16];
int repeats = args.SkipWhile(a => a != "--repeat").Skip(1).Select(int.Parse).FirstOrDefault(3);
string? onlyCase = args.SkipWhile(a => a != "--case").Skip(1).FirstOrDefault();
bool predictOnly = args.Contains("--predict-only");
bool formatsOnly = args.Contains("--formats-only");
string fixtures = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap"));
if (!Directory.Exists(fixtures))
{
    Console.Error.WriteLine($"SLEAP's fixtures are not at {fixtures}; pass their folder as the first argument.");
    return 2;
}
string output = Directory.CreateTempSubdirectory("sleapps-bench").FullName;

Console.WriteLine($"SleapPS benchmark, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
if (formatsOnly)
{
    FormatsBench.Run(fixtures, output);
    Directory.Delete(output, recursive: true);
    return 0;
}
if (predictOnly) goto Prediction;
Console.WriteLine();
Console.WriteLine("Labels I/O (median of 5 runs after one warm-up)");
foreach (var name in new[] { "hdf5_format_v1/centered_pair_predictions.slp", "tracks/clip.slp" })
{
    string path = Path.Combine(fixtures, name);
    var labels = LabelsReader.Read(path);
    int points = labels.AllInstances.Sum(i => i.Points.Length);
    Console.WriteLine($"  {name}: {labels.LabeledFrames.Count} frames, {labels.InstanceCount} instances, {points} points");
    Report("read .slp", () => LabelsReader.Read(path));
    Report("write .slp", () => SlpWriter.Write(labels, Path.Combine(output, "out.slp")));
    if (labels.Tracks.Count > 0)
    {
        Report("write analysis .h5", () => AnalysisH5Writer.Write(labels, Path.Combine(output, "out.analysis.h5")));
        Report("write .csv", () => CsvWriter.Write(labels, Path.Combine(output, "out.csv")));
    }
}

FormatsBench.Run(fixtures, output);

Console.WriteLine();
Console.WriteLine("Frame decoding (OpenCvSharp, SLEAP's channel handling)");
foreach (var name in new[] { "videos/centered_pair_small.mp4", "tracks/clip.mp4" })
{
    var video = FrameSources.DescribeFile(Path.Combine(fixtures, name));
    using var source = FrameSources.Open(video);
    var buffer = new byte[source.FrameByteCount];
    long frames = Math.Min(source.FrameCount, 500);
    var watch = Stopwatch.StartNew();
    for (long i = 0; i < frames; i++) source.ReadFrame(i, buffer);
    double sequential = frames / watch.Elapsed.TotalSeconds;
    var random = new Random(1);
    watch.Restart();
    for (int i = 0; i < 20; i++) source.ReadFrame(random.NextInt64(source.FrameCount), buffer);
    double randomMs = watch.Elapsed.TotalMilliseconds / 20;
    Console.WriteLine($"  {name} ({source.Width}x{source.Height}x{source.Channels}): sequential {sequential:0} frames/s over {frames} frames, random access {randomMs:0.0} ms/frame");
}

MergeBench.Run();
TrajectoryBench.Run(fixtures);
LabelsOperationsBench.Run(fixtures);
JoinBench.Run();

Prediction:
PredictionBench.Run(fixtures, predictFrames, repeats, onlyCase, load, batches, memoryFigures: !args.Contains("--no-memory"));
if (onlyCase is null || "batch".Contains(onlyCase, StringComparison.OrdinalIgnoreCase))
    BatchBench.Run(fixtures, predictFrames, repeats);

Console.WriteLine();
Console.WriteLine("Re-tracking hdf5_format_v1/centered_pair_predictions.slp (1100 frames; flow reads centered_pair_low_quality.mp4)");
{
    var predictions = LabelsReader.Read(Path.Combine(fixtures, "hdf5_format_v1/centered_pair_predictions.slp"));
    foreach (var (name, options) in new (string, TrackerOptions)[]
    {
        ("simple", new() { Tracker = TrackerKind.Simple }),
        ("simple hungarian", new() { Tracker = TrackerKind.Simple, Match = MatchKind.Hungarian }),
        ("simplemaxtracks 2", new() { Tracker = TrackerKind.SimpleMaxTracks, MaxTracks = 2, MaxTracking = true }),
        ("flow", new() { Tracker = TrackerKind.Flow }),
        ("flowmaxtracks 2", new() { Tracker = TrackerKind.FlowMaxTracks, MaxTracks = 2, MaxTracking = true }),
    })
    {
        var watch = Stopwatch.StartNew();
        var tracked = LabelsTracking.Track(predictions, options);
        Console.WriteLine($"  {name}: {watch.Elapsed.TotalMilliseconds / predictions.LabeledFrames.Count:0.000} ms/frame, {tracked.Tracks.Count} tracks");
    }
}

Console.WriteLine();
Console.WriteLine($"Peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
Directory.Delete(output, recursive: true);
return 0;

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

// Device names as the cmdlets take them (Cpu, Cuda, Cuda:N, TensorRT, TensorRT:N, Auto).
static ExecutionDevice ParseDevice(string text) => ExecutionDevice.Parse(text);

static void Report(string what, Action action)
{
    action();
    var times = new double[5];
    for (int i = 0; i < times.Length; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        times[i] = watch.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    Console.WriteLine($"    {what,-20} {times[2],8:0.0} ms");
}
