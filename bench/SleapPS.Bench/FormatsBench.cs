using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Coco;
using SleapPS.Engine.IO.Dlc;
using SleapPS.Engine.IO.Nwb;
using SleapPS.Engine.IO.Package;


/// <summary>Writing and reading NWB, DeepLabCut CSV, COCO and packages of centered_pair_predictions.slp (1,100 frames).</summary>
internal static class FormatsBench
{
    public static void Run(string fixtures, string output)
    {
        const string name = "hdf5_format_v1/centered_pair_predictions.slp";
        var labels = LabelsReader.Read(Path.Combine(fixtures, name));
        Console.WriteLine();
        Console.WriteLine($"Other formats, {name} ({labels.LabeledFrames.Count} frames, {labels.InstanceCount} instances; median of 5 runs after one warm-up)");
        foreach (var (format, file, write) in new (string, string, Action<string>)[]
        {
            ("NWB", "out.nwb", p => NwbWriter.Write(labels, p)),
            ("DeepLabCut CSV", "outDLC_SleapPS.csv", p => DlcCsvWriter.Write(labels, p)),
            ("DeepLabCut .h5", "outDLC_SleapPS.h5", p => DlcH5Writer.Write(labels, p)),
            ("COCO", "out.coco.json", p => CocoWriter.Write(labels, p)),
        })
        {
            string path = Path.Combine(output, file);
            Report($"write {format}", () => write(path));
            Report($"read {format}", () => LabelsReader.Read(path, new LabelsReadOptions { ReadVideoHeaders = false }));
            Console.WriteLine($"    {"",-22} {new FileInfo(path).Length / 1024.0 / 1024.0,8:0.0} MiB");
        }

        // A package of every labelled frame: decoding, PNG-encoding and gzip dominate, so one timed run.
        string package = Path.Combine(output, "out.pkg.slp");
        var watch = Stopwatch.StartNew();
        PackageSlpWriter.Write(labels, package, EmbeddedFrames.Labeled);
        double writeMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var read = LabelsReader.Read(package);
        double readLabelsMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        using (var source = FrameSources.Open(read.Videos[0]))
        {
            var buffer = new byte[source.FrameByteCount];
            foreach (long frame in read.Videos[0].EmbeddedFrameNumbers!) source.ReadFrame(frame, buffer);
        }
        double readMs = watch.Elapsed.TotalMilliseconds;
        Console.WriteLine($"    {"write package (1100 PNG frames)",-34} {writeMs,8:0} ms ({writeMs / labels.LabeledFrames.Count:0.00} ms/frame), {new FileInfo(package).Length / 1024.0 / 1024.0:0.0} MiB");
        Console.WriteLine($"    {"read package labels",-34} {readLabelsMs,8:0} ms");
        Console.WriteLine($"    {"decode every embedded frame",-34} {readMs,8:0} ms ({readMs / labels.LabeledFrames.Count:0.00} ms/frame)");
    }

    private static void Report(string what, Action action)
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
        Console.WriteLine($"    {what,-22} {times[2],8:0.0} ms");
    }
}
