using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO;
using SleapPS.Engine.Tracking;

// Prints how long labels I/O, frame decoding and prediction take on SLEAP's fixtures, and peak memory.
// Usage: dotnet run -c Release --project bench/SleapPS.Bench [-- <fixtures folder>] [--frames N] [--repeat N] [--case NAME] [--predict-only]
//   (--join N alone: only the figure of joining a 100,000-frame run's parts from N shards)
//   --frames: frames per prediction run (100); --repeat: end-to-end runs per figure, medians shown (3);
//   --case: only the predictors whose name contains NAME; --predict-only: skip the labels I/O and decoding figures.
if (args.Length >= 2 && args[0] == "--merge")    // child process of the merge figures
    return MergeBench.Child(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap")), int.Parse(args[1]));
if (args.Length >= 2 && args[0] == "--join")     // child process of the join figures
    return JoinBench.Child(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap")), int.Parse(args[1]));
if (args.Length >= 3 && args[0] == "--memory")   // child process of the prediction memory figures
    return PredictionBench.Memory(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap")), args[1], int.Parse(args[2]));
int predictFrames = args.SkipWhile(a => a != "--frames").Skip(1).Select(int.Parse).FirstOrDefault(100);
int repeats = args.SkipWhile(a => a != "--repeat").Skip(1).Select(int.Parse).FirstOrDefault(3);
string? onlyCase = args.SkipWhile(a => a != "--case").Skip(1).FirstOrDefault();
bool predictOnly = args.Contains("--predict-only");
string fixtures = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/sleap"));
if (!Directory.Exists(fixtures))
{
    Console.Error.WriteLine($"SLEAP's fixtures are not at {fixtures}; pass their folder as the first argument.");
    return 2;
}
string output = Directory.CreateTempSubdirectory("sleapps-bench").FullName;

Console.WriteLine($"SleapPS benchmark, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
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
JoinBench.Run();

Prediction:
PredictionBench.Run(fixtures, predictFrames, repeats, onlyCase);

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
