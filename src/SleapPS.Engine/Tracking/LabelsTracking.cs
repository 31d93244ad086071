using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Tracking;

/// <summary>Where a whole-labels tracking run is: frames done out of the total.</summary>
public readonly record struct TrackingProgress(int FramesDone, int FrameCount, long FrameIndex);

/// <summary>SLEAP's re-tracking of a whole labels file (<c>sleap-track labels.slp --tracking.tracker …</c>).</summary>
public static class LabelsTracking
{
    /// <summary>
    /// Tracks a copy of <paramref name="source"/> (which is left as it was): all labelled frames,
    /// sorted by frame index as SLEAP sorts them, lose their tracks and go through one tracker in
    /// order (flow trackers read each frame through <see cref="FrameSources.Open"/>), then the final
    /// pass runs. The copy's Tracks are the new tracks that instances use, ordered by (spawned on,
    /// name). With the <c>none</c> tracker the copy keeps its tracks, as SLEAP's does.
    /// </summary>
    public static Labels Track(Labels source, TrackerOptions options, IProgress<TrackingProgress>? progress = null,
        CancellationToken cancellation = default, Action<string>? warn = null)
    {
        using var tracker = new FrameTracker(options, warn);
        var labels = Copy(source, keepTracks: tracker.Tracker == TrackerKind.None);
        if (tracker.Tracker == TrackerKind.None) return labels;

        var frames = labels.LabeledFrames.OrderBy(f => f.FrameIndex).ToList();
        var sources = new Dictionary<Video, FrameSource>();
        try
        {
            for (int i = 0; i < frames.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                var frame = frames[i];
                FrameImage? image = null;
                if (tracker.UsesImage)
                {
                    if (!sources.TryGetValue(frame.Video, out var frameSource))
                        sources[frame.Video] = frameSource = FrameSources.Open(frame.Video);
                    image = new FrameImage(frameSource.ReadFrame(frame.FrameIndex), frameSource.Height, frameSource.Width, frameSource.Channels);
                }
                else if (options.Similarity == SimilarityKind.NormalizedInstance && frame.Video.Height is null)
                {
                    // The normalized similarity needs the frame size; opening the video fills it in.
                    using (FrameSources.Open(frame.Video)) { }
                }
                tracker.TrackFrame(frame, image);
                progress?.Report(new TrackingProgress(i + 1, frames.Count, frame.FrameIndex));
            }
        }
        finally
        {
            foreach (var frameSource in sources.Values) frameSource.Dispose();
        }
        tracker.FinalPass(frames);

        labels.LabeledFrames.Clear();
        labels.LabeledFrames.AddRange(frames);
        labels.CollectReferencedItems();
        return labels;
    }

    /// <summary>
    /// A copy with new frames and instances (points copied, tracks dropped unless kept, tracking scores
    /// reset) that shares videos and skeletons with the source.
    /// </summary>
    private static Labels Copy(Labels source, bool keepTracks)
    {
        var copy = new Labels { SourcePath = source.SourcePath };
        copy.Videos.AddRange(source.Videos);
        copy.Skeletons.AddRange(source.Skeletons);
        if (keepTracks) copy.Tracks.AddRange(source.Tracks);
        copy.Suggestions.AddRange(source.Suggestions);
        foreach (var (key, value) in source.Provenance) copy.Provenance[key] = value;
        foreach (var frame in source.LabeledFrames)
        {
            var copied = new Dictionary<Instance, Instance>(ReferenceEqualityComparer.Instance);
            var instances = new List<Instance>(frame.Instances.Count);
            foreach (var instance in frame.Instances)
            {
                var track = keepTracks ? instance.Track : null;
                Instance clone = instance is PredictedInstance predicted
                    ? new PredictedInstance(predicted.Skeleton, predicted.Points.ToArray(), predicted.Score, track, keepTracks ? predicted.TrackingScore : 0.0)
                    : new Instance(instance.Skeleton, instance.Points.ToArray(), track);
                copied[instance] = clone;
                instances.Add(clone);
            }
            foreach (var instance in frame.Instances)
                if (instance.FromPredicted is { } from)
                    copied[instance].FromPredicted = copied.TryGetValue(from, out var fromCopy) ? (PredictedInstance)fromCopy : from;
            copy.LabeledFrames.Add(new LabeledFrame(frame.Video, frame.FrameIndex, instances));
        }
        copy.CollectReferencedItems();
        return copy;
    }
}
