using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.Trajectories;

/// <summary>
/// The trajectory operations and kinematics (docs/design/trajectories.md) on centered_pair_predictions.slp (1,100
/// frames, 27 tracks) and on a 100,000-frame tracked labels object made in memory by repeating its frames end to end
/// with the same tracks (so the two long tracks span all 100,000 frames). Median of 3 runs after a warm-up.
/// </summary>
internal static class TrajectoryBench
{
    public static void Run(string fixtures)
    {
        var labels = LabelsReader.Read(Path.Combine(fixtures, "hdf5_format_v1", "centered_pair_predictions.slp"));
        Console.WriteLine();
        Console.WriteLine("Trajectory cleaning and kinematics (median of 3 runs; each operation copies the labels)");
        Measure("centered_pair_predictions.slp", labels);
        Measure("repeated to 100,000 frames", Repeated(labels, 100_000));
    }

    private static void Measure(string name, Labels labels)
    {
        int points = labels.AllInstances.Sum(i => i.PresentPointCount);
        Console.WriteLine($"  {name}: {labels.LabeledFrames.Count} frames, {labels.InstanceCount} instances, {points} points, {labels.Tracks.Count} tracks");
        var kinematics = new KinematicsOptions { FrameRate = 30 };
        Report("Remove-SleapLowScorePoint -MinScore 0.4", points, () => TrajectoryCleaning.RemoveLowScorePoints(labels, 0.4));
        Report("Add-SleapInterpolatedPoint -MaxGap 5", points, () => TrajectoryCleaning.FillGaps(labels, 5));
        Report("Invoke-SleapSmoothing Median -Window 5", points, () => TrajectoryCleaning.Smooth(labels, new SmoothingOptions(SmoothingMethod.Median, 5)));
        Report("Invoke-SleapSmoothing SavitzkyGolay -Window 7", points, () => TrajectoryCleaning.Smooth(labels, new SmoothingOptions(SmoothingMethod.SavitzkyGolay, 7)));
        Report("Get-SleapKinematics (centroid)", points, () => Kinematics.Rows(labels, kinematics).Count());
        Report("Get-SleapKinematics -Node (all 24)", points, () => Kinematics.Rows(labels, new KinematicsOptions { FrameRate = 30, Nodes = labels.Skeleton!.NodeNames }).Count());
        Report("Measure-SleapKinematics (centroid)", points, () => Kinematics.Summaries(labels, kinematics).Count());
    }

    /// <summary>The labels' frames repeated end to end (frame f of copy k becomes f + k × 1,100) up to <paramref name="frames"/> frames.</summary>
    private static Labels Repeated(Labels source, int frames)
    {
        var labels = new Labels();
        labels.Videos.AddRange(source.Videos);
        labels.Skeletons.AddRange(source.Skeletons);
        labels.Tracks.AddRange(source.Tracks);
        long period = source.LabeledFrames.Max(f => f.FrameIndex) + 1;
        for (int copy = 0; labels.LabeledFrames.Count < frames; copy++)
            foreach (var frame in source.LabeledFrames)
            {
                if (labels.LabeledFrames.Count == frames) break;
                var instances = frame.Instances.Select(i => i is PredictedInstance p
                    ? new PredictedInstance(p.Skeleton, p.Points.ToArray(), p.Score, p.Track, p.TrackingScore)
                    : new Instance(i.Skeleton, i.Points.ToArray(), i.Track));
                labels.LabeledFrames.Add(new LabeledFrame(frame.Video, frame.FrameIndex + copy * period, instances));
            }
        return labels;
    }

    private static void Report(string what, int points, Action action)
    {
        action();
        var times = new double[3];
        long allocated = 0;
        for (int i = 0; i < times.Length; i++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        Array.Sort(times);
        double ms = times[1];
        Console.WriteLine($"    {what,-46} {ms,9:0.0} ms  {points / ms / 1000,7:0.0} M points/s  {allocated / 1048576.0,7:0.0} MB allocated");
    }
}
