using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.Tracking;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Tracking;

/// <summary>
/// Identity quality on real data: two flies in tracks/clip.slp (13 nodes) and clip.2node.slp
/// (2 nodes), 1500 frames with ground-truth tracks female and male. The tracks are dropped, each
/// tracker re-tracks the instances, and the identity switches against the ground truth are held to
/// the counts measured when this was written.
/// </summary>
/// <remarks>
/// Identity switch: for each ground-truth track, walk its instances in frame order; every instance
/// whose new track differs from the new track of the same ground-truth animal's previous instance
/// counts one switch (an instance the tracker dropped is skipped). The total is summed over both
/// animals. Flow on the 13-node file runs all 1500 frames (about 15 ms a frame); the other flow cases use
/// the first <see cref="FlowFrames"/> frames, to keep the run short.
/// </remarks>
public sealed class IdentitySwitchTests(ITestOutputHelper output)
{
    private const int FlowFrames = 300;

    public sealed record Case(string Name, TrackerOptions Options, int Frames, int Switches, int Tracks);

    private static TrackerOptions Options(TrackerKind tracker, SimilarityKind similarity = SimilarityKind.Instance,
        MatchKind match = MatchKind.Greedy, int? maxTracks = null) =>
        new() { Tracker = tracker, Similarity = similarity, Match = match, MaxTracks = maxTracks, MaxTracking = maxTracks is not null };

    private static readonly Case[] Clip13 =
    [
        new("simple", Options(TrackerKind.Simple), 1500, 0, 2),
        new("simple centroid hungarian", Options(TrackerKind.Simple, SimilarityKind.Centroid, MatchKind.Hungarian), 1500, 0, 2),
        new("simple iou greedy", Options(TrackerKind.Simple, SimilarityKind.Iou), 1500, 0, 2),
        new("simple object_keypoint hungarian", Options(TrackerKind.Simple, SimilarityKind.ObjectKeypoint, MatchKind.Hungarian), 1500, 0, 2),
        new("simplemaxtracks 2", Options(TrackerKind.SimpleMaxTracks, maxTracks: 2), 1500, 0, 2),
        new("simplemaxtracks 2 centroid hungarian", Options(TrackerKind.SimpleMaxTracks, SimilarityKind.Centroid, MatchKind.Hungarian, 2), 1500, 0, 2),
        new("flow", Options(TrackerKind.Flow), 1500, 0, 2),
        new("flowmaxtracks 2", Options(TrackerKind.FlowMaxTracks, maxTracks: 2), FlowFrames, 0, 2),
    ];

    private static readonly Case[] Clip2 =
    [
        new("simple", Options(TrackerKind.Simple), 1500, 0, 2),
        new("simple centroid greedy", Options(TrackerKind.Simple, SimilarityKind.Centroid), 1500, 0, 2),
        new("simple iou hungarian", Options(TrackerKind.Simple, SimilarityKind.Iou, MatchKind.Hungarian), 1500, 0, 2),
        new("simplemaxtracks 2", Options(TrackerKind.SimpleMaxTracks, maxTracks: 2), 1500, 0, 2),
        new("flow", Options(TrackerKind.Flow), FlowFrames, 0, 2),
        new("flowmaxtracks 2", Options(TrackerKind.FlowMaxTracks, maxTracks: 2), FlowFrames, 0, 2),
    ];

    [Fact]
    public void Clip_13_nodes() => Run(Paths.Fixture("tracks", "clip.slp"), Clip13);

    [Fact]
    public void Clip_2_nodes() => Run(Paths.Fixture("tracks", "clip.2node.slp"), Clip2);

    private void Run(string path, Case[] cases)
    {
        var groundTruth = LabelsReader.Read(path);
        var failures = new List<string>();
        output.WriteLine($"{Path.GetFileName(path)}: tracker | similarity | match | frames | switches | tracks | ms/frame");
        foreach (var testCase in cases)
        {
            var subset = Subset(groundTruth, testCase.Frames);
            var watch = Stopwatch.StartNew();
            var tracked = LabelsTracking.Track(subset, testCase.Options);
            double msPerFrame = watch.Elapsed.TotalMilliseconds / testCase.Frames;
            int switches = IdentitySwitches(subset, tracked);
            int tracks = tracked.Tracks.Count;
            var o = testCase.Options;
            output.WriteLine($"{testCase.Name} | {TrackingNames.Of(o.Tracker)}{(o.MaxTracks is int m ? " max " + m : "")} | {TrackingNames.Of(o.Similarity)} | {TrackingNames.Of(o.Match)} | {testCase.Frames} | {switches} | {tracks} | {msPerFrame:0.00}");
            if ((switches, tracks) != (testCase.Switches, testCase.Tracks))
                failures.Add($"{testCase.Name}: {switches} switches and {tracks} tracks, expected {testCase.Switches} and {testCase.Tracks}");
        }
        Assert.Empty(failures);
    }

    /// <summary>The first frames of the labels, with their instances (tracked with the ground truth).</summary>
    private static Labels Subset(Labels labels, int frames)
    {
        var subset = new Labels { SourcePath = labels.SourcePath };
        subset.Videos.AddRange(labels.Videos);
        subset.Skeletons.AddRange(labels.Skeletons);
        subset.LabeledFrames.AddRange(labels.LabeledFrames.OrderBy(f => f.FrameIndex).Take(frames));
        subset.CollectReferencedItems();
        return subset;
    }

    /// <summary>Switches summed over ground-truth tracks (see the class remarks).</summary>
    public static int IdentitySwitches(Labels groundTruth, Labels tracked)
    {
        var trackedFrames = tracked.LabeledFrames.ToDictionary(f => (f.Video, f.FrameIndex));
        var lastAssigned = new Dictionary<Track, Track>();
        int switches = 0;
        foreach (var frame in groundTruth.LabeledFrames.OrderBy(f => f.FrameIndex))
        {
            var candidates = trackedFrames[(frame.Video, frame.FrameIndex)].Instances;
            foreach (var truth in frame.Instances)
            {
                // The tracked copy of this instance: the one with the same points.
                var copy = candidates.FirstOrDefault(c => c.Points.AsSpan().SequenceEqual(truth.Points));
                if (copy?.Track is not { } assigned) continue;
                if (lastAssigned.TryGetValue(truth.Track!, out var previous) && previous != assigned) switches++;
                lastAssigned[truth.Track!] = assigned;
            }
        }
        return switches;
    }
}
