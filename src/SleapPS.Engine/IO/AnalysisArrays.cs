using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;

namespace SleapPS.Engine.IO;

/// <summary>
/// The arrays of SLEAP's analysis export for one video (docs/design/file-formats.md §9.1), in their logical
/// ("Python") layout with one axis entry per frame index from 0 to the last labelled frame
/// (SLEAP's <c>all_frames=True</c>). Missing values are NaN.
/// </summary>
/// <remarks>
/// Slots: when the labels have tracks, slot t is track t (tracks that end up empty are removed, as SLEAP
/// removes them). Each (frame, track) slot holds the track's user instance if there is one, else its
/// predicted one; if several share it, the last one is kept as SLEAP keeps it, with a warning.
/// When the labels have no tracks SLEAP writes every instance of a frame into one slot, so all but the
/// last are lost; here instance k of a frame goes to slot k instead, with as many slots as the most
/// instances on one frame, and a warning says that slots are not identities.
/// </remarks>
public sealed class AnalysisArrays
{
    // Individual warnings about shared slots before they are only counted.
    private const int DetailedWarningLimit = 10;

    private AnalysisArrays(Video video, int videoIndex, Skeleton skeleton, int frameCount, IReadOnlyList<string> trackNames, int slotCount)
    {
        Video = video;
        VideoIndex = videoIndex;
        FrameCount = frameCount;
        NodeCount = skeleton.Nodes.Count;
        TrackCount = slotCount;
        TrackNames = trackNames;
        NodeNames = skeleton.NodeNames;
        EdgeNames = skeleton.Edges.Select(e => (e.Source.Name, e.Destination.Name)).ToArray();
        EdgeIndices = skeleton.EdgeIndices;
        TrackOccupancy = new byte[slotCount, frameCount];
        Tracks = new double[frameCount, NodeCount, 2, slotCount];
        PointScores = new double[frameCount, NodeCount, slotCount];
        InstanceScores = new double[frameCount, slotCount];
        TrackingScores = new double[frameCount, slotCount];
        foreach (Array array in new Array[] { Tracks, PointScores, InstanceScores, TrackingScores })
            ColumnMajor.Elements<double>(array).Fill(double.NaN);
    }

    public Video Video { get; }

    /// <summary>The video's position in the labels' video list.</summary>
    public int VideoIndex { get; }

    /// <summary>F: the last labelled frame index of the video + 1.</summary>
    public int FrameCount { get; }

    /// <summary>N: nodes of the first skeleton.</summary>
    public int NodeCount { get; }

    /// <summary>T: track slots (occupied tracks, or instance slots when the labels have no tracks).</summary>
    public int TrackCount { get; }

    /// <summary>One name per slot, or empty when the labels have no tracks.</summary>
    public IReadOnlyList<string> TrackNames { get; }

    public IReadOnlyList<string> NodeNames { get; }

    /// <summary>Body edges as (source, destination) node names, in edge order.</summary>
    public IReadOnlyList<(string Source, string Destination)> EdgeNames { get; }

    /// <summary>Body edges as (source, destination) node indices, in edge order.</summary>
    public IReadOnlyList<(int Source, int Destination)> EdgeIndices { get; }

    /// <summary>(T, F): 1 where a slot holds an instance.</summary>
    public byte[,] TrackOccupancy { get; }

    /// <summary>(F, N, 2, T): x at [.., .., 0, ..], y at 1; NaN for missing or invisible points.</summary>
    public double[,,,] Tracks { get; }

    /// <summary>(F, N, T): predicted point scores; NaN for user instances and empty slots.</summary>
    public double[,,] PointScores { get; }

    /// <summary>(F, T): predicted instance scores; NaN otherwise.</summary>
    public double[,] InstanceScores { get; }

    /// <summary>(F, T): tracking scores of predicted instances; NaN otherwise.</summary>
    public double[,] TrackingScores { get; }

    /// <summary>Builds the arrays for <paramref name="video"/> (default: the labels' first video).</summary>
    /// <param name="warn">Receives warnings about instances that do not fit the slots one to one.</param>
    /// <exception cref="SleapException">The labels have no video, no skeleton or no labelled frame on the
    /// video, or <paramref name="video"/> is not one of the labels' videos (InvalidArgument).</exception>
    public static AnalysisArrays Build(Labels labels, Video? video = null, Action<string>? warn = null)
    {
        var scope = ReferencedLabels.Of(labels);
        string source = labels.SourcePath is null ? "the labels" : $"'{labels.SourcePath}'";
        if (scope.Videos.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument, $"Cannot export {source}: they have no video. Add labelled frames first.", labels.SourcePath);
        video ??= scope.Videos[0];
        int videoIndex = scope.Videos.IndexOf(video);
        if (videoIndex < 0)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot export {source} for video '{video.Filename}': it is not one of their videos ({string.Join(", ", scope.Videos.Select(v => v.Filename))}). Pick one of those.", labels.SourcePath);
        var skeleton = scope.Skeleton
            ?? throw new SleapException(SleapErrorKind.InvalidArgument, $"Cannot export {source}: they have no skeleton.", labels.SourcePath);
        var frames = scope.LabeledFrames.Where(f => ReferenceEquals(f.Video, video)).ToList();
        if (frames.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot export {source} for video '{video.Filename}': it has no labelled frames. Pick a video with labels.", labels.SourcePath);

        var report = new Warnings(warn);
        var assignment = scope.Tracks.Count > 0
            ? AssignTracks(frames, scope.Tracks, skeleton, report)
            : AssignInstanceSlots(frames, skeleton, report);
        report.Finish();

        // Slots that hold nothing are left out, as SLEAP drops empty tracks.
        int[] usedSlots = assignment.Select(s => s.Slot).Distinct().Order().ToArray();
        var compactSlot = new Dictionary<int, int>();
        for (int k = 0; k < usedSlots.Length; k++) compactSlot[usedSlots[k]] = k;
        string[] trackNames = scope.Tracks.Count > 0 ? usedSlots.Select(t => scope.Tracks[t].Name).ToArray() : [];

        int frameCount = checked((int)(frames.Max(f => f.FrameIndex) + 1));
        var arrays = new AnalysisArrays(video, videoIndex, skeleton, frameCount, trackNames, usedSlots.Length);
        foreach (var (frameIndex, slot, instance) in assignment)
            arrays.Fill((int)frameIndex, compactSlot[slot], instance);
        return arrays;
    }

    private static List<(long FrameIndex, int Slot, Instance Instance)> AssignTracks(List<LabeledFrame> frames, List<Track> tracks, Skeleton skeleton, Warnings report)
    {
        var slots = new List<(long, int, Instance)>();
        foreach (var frame in frames)
        {
            var instances = report.OfSkeleton(frame, skeleton);
            report.CountUntracked(instances.Count(i => i.Track is null));
            for (int t = 0; t < tracks.Count; t++)
            {
                var onTrack = instances.Where(i => !i.IsPredicted && ReferenceEquals(i.Track, tracks[t])).ToList();
                if (onTrack.Count == 0)
                    onTrack = instances.Where(i => i.IsPredicted && ReferenceEquals(i.Track, tracks[t])).ToList();
                if (onTrack.Count == 0) continue;
                if (onTrack.Count > 1)
                    report.SharedTrack(frame, tracks[t], onTrack.Count);
                slots.Add((frame.FrameIndex, t, onTrack[^1]));
            }
        }
        return slots;
    }

    private static List<(long FrameIndex, int Slot, Instance Instance)> AssignInstanceSlots(List<LabeledFrame> frames, Skeleton skeleton, Warnings report)
    {
        var slots = new List<(long, int, Instance)>();
        int slotCount = 0;
        foreach (var frame in frames)
        {
            var instances = report.OfSkeleton(frame, skeleton);
            // As SLEAP: a frame's user instances if it has any, else its predictions.
            var chosen = instances.Where(i => !i.IsPredicted).ToList();
            if (chosen.Count == 0) chosen = instances.Where(i => i.IsPredicted).ToList();
            for (int k = 0; k < chosen.Count; k++)
                slots.Add((frame.FrameIndex, k, chosen[k]));
            slotCount = Math.Max(slotCount, chosen.Count);
        }
        if (slotCount > 1)
            report.Add($"The labels have no tracks and some frames have up to {slotCount} instances, so the export has {slotCount} slots: " +
                       "instance k of each frame is in slot k, and a slot does not follow one animal from frame to frame. " +
                       "(SLEAP would keep only the last instance of each frame.) Track the labels first to get identities.");
        return slots;
    }

    private void Fill(int frame, int slot, Instance instance)
    {
        TrackOccupancy[slot, frame] = 1;
        for (int n = 0; n < NodeCount; n++)
        {
            var point = instance.Points[n];
            // Like SLEAP's points_array: an invisible point counts as missing.
            Tracks[frame, n, 0, slot] = point.IsPresent ? point.X : double.NaN;
            Tracks[frame, n, 1, slot] = point.IsPresent ? point.Y : double.NaN;
        }
        if (instance is PredictedInstance predicted)
        {
            for (int n = 0; n < NodeCount; n++)
                PointScores[frame, n, slot] = predicted.Points[n].Score;
            InstanceScores[frame, slot] = predicted.Score;
            TrackingScores[frame, slot] = predicted.TrackingScore;
        }
    }

    /// <summary>Collects warnings; after the first few about shared tracks it only counts them.</summary>
    private sealed class Warnings(Action<string>? warn)
    {
        private int _sharedTracks;
        private int _untracked;
        private int _otherSkeleton;

        public void Add(string message) => warn?.Invoke(message);

        public void SharedTrack(LabeledFrame frame, Track track, int count)
        {
            if (++_sharedTracks <= DetailedWarningLimit)
                Add($"Frame {frame.FrameIndex} has {count} instances on track '{track.Name}'; only the last one is exported, as SLEAP does.");
        }

        public void CountUntracked(int count) => _untracked += count;

        public List<Instance> OfSkeleton(LabeledFrame frame, Skeleton skeleton)
        {
            var instances = frame.Instances.Where(i => ReferenceEquals(i.Skeleton, skeleton)).ToList();
            _otherSkeleton += frame.Instances.Count - instances.Count;
            return instances;
        }

        public void Finish()
        {
            if (_sharedTracks > DetailedWarningLimit)
                Add($"In all, {_sharedTracks} (frame, track) pairs had several instances; only the last of each was exported.");
            if (_untracked > 0)
                Add($"{_untracked} instances have no track while others do; the export has slots only for tracks, so they were left out.");
            if (_otherSkeleton > 0)
                Add($"{_otherSkeleton} instances use another skeleton than the first one; the export covers the first skeleton only, so they were left out.");
        }
    }
}
