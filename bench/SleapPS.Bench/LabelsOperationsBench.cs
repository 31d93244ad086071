using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;
using SleapPS.Engine.Editing.Merging;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.Filtering;
using SleapPS.Engine.IO;

/// <summary>
/// Each labels operation (docs/design/labels-operations.md) on centered_pair_predictions.slp (1,100 frames, 27 tracks) and
/// on a 100,000-frame tracked file made in memory by repeating its frames (same tracks, frame indices 0 to 99,999).
/// Times are medians of 3 runs after a warm-up of up to 40 calls (1 run after 1 warm-up call for the large file); MiB is what the operation allocated.
/// </summary>
internal static class LabelsOperationsBench
{
    public static void Run(string fixtures)
    {
        var source = LabelsReader.Read(Path.Combine(fixtures, "hdf5_format_v1", "centered_pair_predictions.slp"));
        Console.WriteLine();
        Console.WriteLine("Labels operations (copies; median of 3 after a JIT warm-up, 1 run at 100,000 frames; MiB allocated by one run)");
        // The large file is made only after the small one is measured: a 100,000-frame heap alive during the small figures
        // would make their collections, not the operations, the cost.
        foreach (var make in new Func<Labels>[] { () => source, () => Repeated(source, 100_000) })
        {
            var labels = make();
            int n = labels.LabeledFrames.Count;
            int runs = n > 10_000 ? 1 : 3;
            Console.WriteLine($"  {n} frames, {labels.InstanceCount} instances, {labels.Tracks.Count} tracks");
            var half = FrameList.Range(0, n / 2 - 1);
            var rest = FrameList.Range(n / 2, n - 1);
            var halves = LabelsSplit.ByFrames(labels, [half, rest]);
            Report("copy", runs, () => LabelsCopy.Of(labels));
            Report("split 2 frame ranges", runs, () => LabelsSplit.ByFrames(labels, [half, rest]));
            Report("split 0.8/0.1/0.1", runs, () => LabelsSplit.ByFractions(labels, [0.8, 0.1, 0.1], 42));
            Report("split by video", runs, () => LabelsSplit.ByVideo(labels));
            Report("merge 2 halves", runs, () => LabelsMerge.Merge([halves[0].Labels, halves[1].Labels]));
            Report("merge with itself", runs, () => LabelsMerge.Merge([labels, labels]));
            Report("keep frames (even)", runs, () => LabelsSubset.KeepFrames(labels, f => f.FrameIndex % 2 == 0));
            Report("keep instances score", runs, () => LabelsSubset.KeepInstances(labels, (_, i) => ((PredictedInstance)i).Score >= 30));
            Report("remove track 1", runs, () => LabelsSubset.KeepTracks(labels, t => t.Name != "1"));
            Report("rename 2 nodes", runs, () => LabelsRenaming.RenameNodes(labels, new Dictionary<string, string> { ["head"] = "Head", ["thorax"] = "Thorax" }));
            Report("rename 2 tracks", runs, () => LabelsRenaming.RenameTracks(labels, new Dictionary<string, string> { ["1"] = "a", ["2"] = "a" }));
            Report("video path map", runs, () => VideoPathReplacement.Replace(labels, new Dictionary<string, string> { ["tests/data"] = "/data" }, null));
            Report("filter nodes+score", runs, () => FilterAll(labels, new InstanceFilter(minVisibleNodes: 20, minInstanceScore: 20)));
            Report("filter IoU 0.3", runs, () => FilterAll(labels, new InstanceFilter(overlapMethod: OverlapMethod.Iou, overlapThreshold: 0.3)));
            Report("filter OKS 0.5", runs, () => FilterAll(labels, new InstanceFilter(overlapMethod: OverlapMethod.Oks, overlapThreshold: 0.5)));
        }
    }

    /// <summary>The filter as the prediction pipeline runs it: each frame's list filtered in place (on scratch lists here, so the labels stay).</summary>
    private static long FilterAll(Labels labels, InstanceFilter filter)
    {
        var scratch = new List<Instance>();
        foreach (var frame in labels.LabeledFrames)
        {
            scratch.Clear();
            scratch.AddRange(frame.Instances);
            filter.Apply(scratch);
        }
        return filter.Counts.Removed;
    }

    /// <summary>The source's frames repeated to <paramref name="frames"/> frames (frame index = position), on its video, skeleton and tracks.</summary>
    private static Labels Repeated(Labels source, int frames)
    {
        var labels = new Labels { SourcePath = source.SourcePath };
        labels.Videos.AddRange(source.Videos);
        labels.Skeletons.AddRange(source.Skeletons);
        labels.Tracks.AddRange(source.Tracks);
        var video = source.Videos[0];
        for (int i = 0; i < frames; i++)
        {
            var from = source.LabeledFrames[i % source.LabeledFrames.Count];
            labels.LabeledFrames.Add(new LabeledFrame(video, i, from.Instances.Select(inst =>
            {
                var p = (PredictedInstance)inst;
                return (Instance)new PredictedInstance(p.Skeleton, p.Points.ToArray(), p.Score, p.Track, p.TrackingScore);
            })));
        }
        return labels;
    }

    private static void Report(string what, int runs, Func<object> operation)
    {
        // Warm up until the JIT has optimised the code (tiered compilation recompiles a method after about 30 calls): a
        // figure of a few calls would time unoptimised code. The large file's long loops are optimised on the fly.
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < (runs > 1 ? 40 : 1) && warm.Elapsed.TotalSeconds < 3; i++) operation();
        Thread.Sleep(200);   // tiered recompilation runs in the background
        var times = new double[runs];
        long allocated = 0;
        for (int i = 0; i < runs; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(operation());
            times[i] = watch.Elapsed.TotalMilliseconds;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Array.Sort(times);
        Console.WriteLine($"    {what,-22} {times[runs / 2],9:0.0} ms {allocated / (1024.0 * 1024.0),9:0.0} MiB");
    }
}
