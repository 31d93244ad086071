using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Sharding;
using SleapPS.Engine.IO;

/// <summary>
/// Joining a sharded run's parts (docs/design/sharding.md §4): one 100,000-frame video predicted in 4 and 16 shards,
/// its parts made of centered_pair_predictions.slp's frames in a loop (about 2 instances of 24 nodes each), joined
/// into one .slp. Each figure comes from its own process, so that its peak working set is its own.
/// </summary>
internal static class JoinBench
{
    private const int Frames = 100_000;
    private static readonly int[] ShardCounts = [4, 16];

    public static void Run()
    {
        Console.WriteLine();
        Console.WriteLine($"Joining shard parts (own process each: one {Frames}-frame video, centered_pair_predictions.slp's frames in a loop)");
        foreach (int shards in ShardCounts)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(JoinBench).Assembly.Location);
            foreach (string a in new[] { "--join", shards.ToString() }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            string line = process.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
            process.WaitForExit();
            Console.WriteLine($"  {shards,2} shards: {line}");
        }
    }

    /// <summary>Child-process entry: writes the parts of <paramref name="shards"/> shards, joins them; prints the figures on one line.</summary>
    public static int Child(string fixtures, int shards)
    {
        var source = LabelsReader.Read(Path.Combine(fixtures, "hdf5_format_v1", "centered_pair_predictions.slp"), new LabelsReadOptions { ReadVideoHeaders = false });
        var video = source.Videos[0];
        string folder = Directory.CreateTempSubdirectory("sleapps-bench-join").FullName;
        try
        {
            string output = Path.Combine(folder, "long.mp4.predictions.slp");
            var plan = ShardPlan.Create([new ShardVideo(video.Filename, Frames)], shards);
            var pieces = plan.PiecesOfVideo(video.Filename).ToList();
            foreach (var piece in pieces)
            {
                var part = new Labels();
                part.Skeletons.AddRange(source.Skeletons);
                part.Videos.Add(video);
                for (long frame = piece.First; frame <= piece.Last; frame++)
                    part.LabeledFrames.Add(new LabeledFrame(video, frame, source.LabeledFrames[(int)(frame % source.LabeledFrames.Count)].PredictedInstances));
                var spec = new ShardSpec(piece.Shard, shards);
                part.Provenance[ShardPart.ProvenanceKey] = new ShardPart("bench", spec, video.Filename, Frames, pieces).ToProvenance();
                SlpWriter.Write(part, ShardPart.PathOf(output, spec));
            }
            long partBytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
            GC.Collect();

            var watch = Stopwatch.StartNew();
            var result = ShardJoin.Join(ShardPartSet.InFolder(folder).Single());
            double seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"join {seconds:0.00} s ({seconds * 100_000 / result.FrameCount:0.00} s per 100,000 frames), {result.InstanceCount} instances, " +
                              $"parts {partBytes / (1024 * 1024)} MiB, joined {new FileInfo(output).Length / (1024 * 1024)} MiB, " +
                              $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB (writing the parts included)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }
}
