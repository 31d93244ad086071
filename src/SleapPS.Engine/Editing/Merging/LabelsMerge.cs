using SleapPS.Engine.Data;

namespace SleapPS.Engine.Editing.Merging;

/// <summary>
/// Merges labels the way sleap-io's <c>Labels.merge</c> does (docs/design/labels-operations.md §2): skeletons matched by
/// node names, videos by identity or path, tracks by name, and frames both sides have combined by a strategy in which,
/// by default, user instances win over predictions. The inputs are never changed: the result is a new Labels that
/// starts as a copy of the first and takes in each of the others in turn.
/// </summary>
public static class LabelsMerge
{
    /// <exception cref="SleapException">InvalidArgument when a skeleton of an input has nodes no skeleton of the first has (naming them).</exception>
    public static MergeReport Merge(IReadOnlyList<Labels> inputs, MergeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new SleapException(SleapErrorKind.InvalidArgument, "There is nothing to merge: give at least one Labels.");
        options ??= new MergeOptions();
        var report = new MergeReport { Labels = LabelsCopy.Of(inputs[0]) };
        var merged = report.Labels;
        var index = new Dictionary<(Video, long), LabeledFrame>();
        foreach (var frame in merged.LabeledFrames) index.TryAdd((frame.Video, frame.FrameIndex), frame);
        for (int i = 1; i < inputs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MergeOne(merged, index, inputs[i], Describe(inputs[i], i), Describe(inputs[0], 0), options, report, cancellationToken);
            report.LabelsMerged++;
        }
        return report;
    }

    private static string Describe(Labels labels, int position) =>
        labels.SourcePath is { } path ? $"'{Path.GetFileName(path)}'" : $"labels {position + 1}";

    private static void MergeOne(Labels merged, Dictionary<(Video, long), LabeledFrame> index, Labels incoming, string incomingName, string baseName,
        MergeOptions options, MergeReport report, CancellationToken cancellationToken)
    {
        var copier = new LabelsCopy();

        // Skeletons: an input whose skeleton differs is refused, naming the nodes; the first input's skeleton stands for both.
        var skeletons = new Dictionary<Skeleton, (Skeleton Skeleton, int[] Order)>(ReferenceEqualityComparer.Instance);
        foreach (var skeleton in incoming.Skeletons.Concat(incoming.AllInstances.Select(i => i.Skeleton)))
        {
            if (skeletons.ContainsKey(skeleton)) continue;
            if (merged.Skeletons.Count == 0) merged.Skeletons.Add(copier.SkeletonOf(skeleton));
            skeletons[skeleton] = SkeletonMatching.Match(skeleton, merged.Skeletons, incomingName, baseName);
        }

        var videos = new Dictionary<Video, Video>(ReferenceEqualityComparer.Instance);
        foreach (var video in LabelsSubset.AllVideos(incoming))
        {
            if (videos.ContainsKey(video)) continue;
            if (VideoMatching.Find(video, merged.Videos, options.VideoMatch) is { } match)
            {
                videos[video] = match;
                report.VideosMatched++;
            }
            else
            {
                var added = copier.VideoOf(video);
                merged.Videos.Add(added);
                videos[video] = added;
                report.VideosAdded++;
            }
        }

        var tracks = new Dictionary<Track, Track>(ReferenceEqualityComparer.Instance);
        foreach (var track in incoming.Tracks.Concat(incoming.AllInstances.Select(i => i.Track).OfType<Track>()))
        {
            if (tracks.ContainsKey(track)) continue;
            if (merged.Tracks.Find(t => t.Name == track.Name) is { } match)
            {
                tracks[track] = match;
                report.TracksMatched++;
            }
            else
            {
                var added = copier.TrackOf(track);
                merged.Tracks.Add(added);
                tracks[track] = added;
                report.TracksAdded++;
            }
        }

        foreach (var suggestion in incoming.Suggestions)
        {
            var mapped = suggestion with { Video = videos[suggestion.Video] };
            if (!merged.Suggestions.Any(s => ReferenceEquals(s.Video, mapped.Video) && s.FrameIndex == mapped.FrameIndex)) merged.Suggestions.Add(mapped);
        }

        foreach (var frame in incoming.LabeledFrames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var video = videos[frame.Video];
            var instances = Translate(frame, skeletons, tracks);
            if (!index.TryGetValue((video, frame.FrameIndex), out var existing))
            {
                var added = new LabeledFrame(video, frame.FrameIndex, instances);
                merged.LabeledFrames.Add(added);
                index[(video, frame.FrameIndex)] = added;
                report.FramesAdded++;
                continue;
            }
            report.FramesMerged++;
            FrameMerging.Combine(existing, instances, options, report);
        }
    }

    /// <summary>The incoming frame's instances in the merged labels' terms: points in the base skeleton's node order, tracks mapped.</summary>
    private static List<Instance> Translate(LabeledFrame frame, Dictionary<Skeleton, (Skeleton Skeleton, int[] Order)> skeletons, Dictionary<Track, Track> tracks)
    {
        var translated = new Dictionary<Instance, Instance>(ReferenceEqualityComparer.Instance);
        var instances = new List<Instance>(frame.Instances.Count);
        foreach (var instance in frame.Instances)
        {
            var (skeleton, order) = skeletons[instance.Skeleton];
            var points = new Point[skeleton.Nodes.Count];
            for (int n = 0; n < order.Length; n++) points[order[n]] = instance.Points[n];
            var track = instance.Track is null ? null : tracks[instance.Track];
            Instance copy = instance is PredictedInstance predicted
                ? new PredictedInstance(skeleton, points, predicted.Score, track, predicted.TrackingScore)
                : new Instance(skeleton, points, track);
            translated[instance] = copy;
            instances.Add(copy);
        }
        foreach (var (original, copy) in translated)
            if (original.FromPredicted is { } from && translated.TryGetValue(from, out var fromCopy)) copy.FromPredicted = (PredictedInstance)fromCopy;
        return instances;
    }
}
