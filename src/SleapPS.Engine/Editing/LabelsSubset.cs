using SleapPS.Engine.Data;

namespace SleapPS.Engine.Editing;

/// <summary>What a subset removed, for the caller to report.</summary>
public sealed record SubsetCounts(int FramesRemoved, int InstancesRemoved, int TracksRemoved, int InstancesUntracked);

/// <summary>
/// Keeps the frames, instances or tracks a predicate accepts (docs/design/labels-operations.md §4). Each operation
/// either returns a copy and leaves its input alone (the default), or, with <c>inPlace</c>, edits the input and
/// returns it. Videos, skeletons and suggestions are kept whole, so that frame and video indices stay as they were.
/// </summary>
public static class LabelsSubset
{
    /// <summary>The labels with only the frames <paramref name="keep"/> accepts.</summary>
    public static (Labels Labels, SubsetCounts Counts) KeepFrames(Labels labels, Func<LabeledFrame, bool> keep, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(keep);
        int before = labels.LabeledFrames.Count, instancesBefore = labels.InstanceCount;
        Labels result;
        if (inPlace)
        {
            labels.LabeledFrames.RemoveAll(f => !keep(f));
            result = labels;
        }
        else
        {
            var kept = labels.LabeledFrames.Where(keep).ToList();
            result = new LabelsCopy().Copy(labels, AllVideos(labels), kept, null);
        }
        return (result, new SubsetCounts(before - result.LabeledFrames.Count, instancesBefore - result.InstanceCount, 0, 0));
    }

    /// <summary>
    /// The labels with only the instances <paramref name="keep"/> accepts (given each instance with its frame); frames left
    /// without instances are dropped when <paramref name="dropEmptyFrames"/>.
    /// </summary>
    public static (Labels Labels, SubsetCounts Counts) KeepInstances(Labels labels, Func<LabeledFrame, Instance, bool> keep,
        bool dropEmptyFrames = false, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(keep);
        int framesBefore = labels.LabeledFrames.Count, instancesBefore = labels.InstanceCount;
        Labels result;
        if (inPlace)
        {
            foreach (var frame in labels.LabeledFrames) RemoveInstances(frame, i => !keep(frame, i));
            if (dropEmptyFrames) labels.LabeledFrames.RemoveAll(f => f.Instances.Count == 0);
            result = labels;
        }
        else
        {
            var copier = new LabelsCopy();
            result = copier.Copy(labels, AllVideos(labels), [], null);
            foreach (var frame in labels.LabeledFrames)
            {
                var copy = copier.FrameOf(frame, keep);
                if (!dropEmptyFrames || copy.Instances.Count > 0) result.LabeledFrames.Add(copy);
            }
        }
        return (result, new SubsetCounts(framesBefore - result.LabeledFrames.Count, instancesBefore - result.InstanceCount, 0, 0));
    }

    /// <summary>
    /// The labels with only the tracks <paramref name="keep"/> accepts. The instances of the other tracks are removed, or,
    /// with <paramref name="untrackInstances"/>, kept without a track. Untracked instances always stay.
    /// </summary>
    public static (Labels Labels, SubsetCounts Counts) KeepTracks(Labels labels, Func<Track, bool> keep, bool untrackInstances = false, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(keep);
        var removed = new HashSet<Track>(labels.Tracks.Where(t => !keep(t)), ReferenceEqualityComparer.Instance);
        // Tracks that instances use but the list lacks are judged too.
        foreach (var track in labels.AllInstances.Select(i => i.Track).OfType<Track>())
            if (!removed.Contains(track) && !labels.Tracks.Contains(track) && !keep(track)) removed.Add(track);
        var copier = new LabelsCopy();
        var target = inPlace ? labels : copier.Copy(labels, AllVideos(labels), labels.LabeledFrames, null);
        var removedHere = inPlace ? removed : new HashSet<Track>(removed.Select(copier.TrackOf), ReferenceEqualityComparer.Instance);
        int instancesBefore = target.InstanceCount, untracked = 0;
        foreach (var frame in target.LabeledFrames)
        {
            if (untrackInstances)
            {
                foreach (var instance in frame.Instances)
                    if (instance.Track is { } track && removedHere.Contains(track))
                    {
                        instance.Track = null;
                        if (instance is PredictedInstance predicted) predicted.TrackingScore = 0;
                        untracked++;
                    }
            }
            else
            {
                RemoveInstances(frame, i => i.Track is { } track && removedHere.Contains(track));
            }
        }
        int tracksBefore = target.Tracks.Count;
        target.Tracks.RemoveAll(removedHere.Contains);
        return (target, new SubsetCounts(0, instancesBefore - target.InstanceCount, tracksBefore - target.Tracks.Count, untracked));
    }

    /// <summary>Removes instances from a frame, and the links of corrections to predictions that went.</summary>
    internal static void RemoveInstances(LabeledFrame frame, Predicate<Instance> remove)
    {
        if (frame.Instances.RemoveAll(remove) == 0) return;
        foreach (var instance in frame.Instances)
            if (instance.FromPredicted is { } from && !frame.Instances.Contains(from)) instance.FromPredicted = null;
    }

    /// <summary>The labels' videos, then any a frame refers to that the list lacks.</summary>
    internal static IEnumerable<Video> AllVideos(Labels labels) => labels.Videos.Concat(labels.LabeledFrames.Select(f => f.Video));
}
