using System.Diagnostics;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.IO;

/// <summary>
/// The resumable writer on a long run without the models: centered_pair_predictions.slp's frames (about 2 instances of
/// 24 nodes each) fed in a loop as a run's predictions, written as 500-frame parts and merged at the end. Each figure
/// comes from its own process, so that its peak working set is its own.
/// </summary>
internal static class MergeBench
{
    private static readonly int[] FrameCounts = [1_000, 100_000];

    public static void Run()
    {
        Console.WriteLine();
        Console.WriteLine("Resumable .slp output without the models (own process each: centered_pair_predictions.slp's frames in a loop, 500-frame parts, final merge)");
        foreach (int frames in FrameCounts)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(MergeBench).Assembly.Location);
            foreach (string a in new[] { "--merge", frames.ToString() }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            string line = process.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
            process.WaitForExit();
            Console.WriteLine($"  {frames,7} frames: {line}");
        }
    }

    /// <summary>Child-process entry: writes and merges <paramref name="frames"/> frames; prints the figures on one line.</summary>
    public static int Child(string fixtures, int frames)
    {
        var source = LabelsReader.Read(Path.Combine(fixtures, "hdf5_format_v1", "centered_pair_predictions.slp"));
        var video = source.Videos[0];
        string folder = Directory.CreateTempSubdirectory("sleapps-bench-merge").FullName;
        try
        {
            string output = Path.Combine(folder, "out.slp");
            ResumableSlpWriter WriteParts(string path)
            {
                var writer = new ResumableSlpWriter(path, source.Skeletons[0], [video], "bench", dropEmptyFrames: false);
                for (int i = 0; i < frames; i++)
                {
                    var prediction = new FramePrediction(video, i);
                    prediction.Instances.AddRange(source.LabeledFrames[i % source.LabeledFrames.Count].PredictedInstances);
                    writer.Add(prediction);
                }
                return writer;
            }
            var watch = Stopwatch.StartNew();
            var writer = WriteParts(output);
            double partsSeconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            writer.Complete(new Dictionary<string, object?>());
            double mergeSeconds = watch.Elapsed.TotalSeconds;

            // Ctrl+C halfway through the merge (docs/design/reliability.md §4): how long until the merge has stopped.
            var stopped = WriteParts(Path.Combine(folder, "stopped.slp"));
            using var stop = new CancellationTokenSource();
            var sinceStop = new Stopwatch();
            try
            {
                stopped.Complete(new Dictionary<string, object?>(), partMerged: (merged, total) =>
                {
                    if (merged != total / 2) return;
                    sinceStop.Start();
                    stop.Cancel();
                }, cancellationToken: stop.Token);
            }
            catch (OperationCanceledException)
            {
                sinceStop.Stop();
            }
            Console.WriteLine($"parts {partsSeconds:0.00} s, merge {mergeSeconds:0.00} s ({1000 * mergeSeconds / frames:0.000} ms/frame), " +
                              $"a stop halfway through the merge ends it in {sinceStop.Elapsed.TotalMilliseconds:0} ms, " +
                              $"file {new FileInfo(output).Length / (1024 * 1024)} MiB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }
}
