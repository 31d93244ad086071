using SleapPS.Engine.Data;

namespace SleapPS.Engine.Editing;

/// <summary>
/// Copies of labels, so that an operation never changes the labels it was given. A deep copy (the editing operations,
/// docs/design/labels-operations.md §1) has new videos, skeletons (with their own nodes), tracks, frames and
/// instances and shares nothing mutable with the source; a copy that shares videos, skeletons and tracks (the
/// trajectory operations, docs/design/trajectories.md §1, which change only points and report by the source's
/// videos and tracks) has new frames, instances and point arrays. One copier keeps its source-to-copy maps, so several
/// copies from the same source (the parts of a split) each get their own objects while a caller can still find the
/// copy of a given source object.
/// </summary>
public sealed class LabelsCopy
{
    private readonly bool _sharesVideosSkeletonsAndTracks;
    private readonly Dictionary<Video, Video> _videos = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Skeleton, Skeleton> _skeletons = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Track, Track> _tracks = new(ReferenceEqualityComparer.Instance);

    /// <summary>A deep copier.</summary>
    public LabelsCopy() : this(sharesVideosSkeletonsAndTracks: false) { }

    private LabelsCopy(bool sharesVideosSkeletonsAndTracks) => _sharesVideosSkeletonsAndTracks = sharesVideosSkeletonsAndTracks;

    /// <summary>A full deep copy of <paramref name="source"/>.</summary>
    public static Labels Of(Labels source) => new LabelsCopy().CopyAll(source);

    /// <summary>
    /// A copy of <paramref name="source"/> with new frames, instances and point arrays and a new provenance
    /// dictionary; its videos, skeletons and tracks are the source's own objects.
    /// </summary>
    public static Labels SharingVideosSkeletonsAndTracks(Labels source) =>
        new LabelsCopy(sharesVideosSkeletonsAndTracks: true).CopyAll(source);

    private Labels CopyAll(Labels source) =>
        Copy(source, source.Videos.Concat(source.LabeledFrames.Select(f => f.Video)), source.LabeledFrames, null);

    /// <summary>
    /// A copy with the source's skeletons, tracks, suggestions (of the videos kept) and provenance, the videos
    /// <paramref name="videos"/> (in that order), and copies of <paramref name="frames"/> with the instances
    /// <paramref name="keepInstance"/> accepts (all when null). Frames of videos outside <paramref name="videos"/> are
    /// not allowed.
    /// </summary>
    public Labels Copy(Labels source, IEnumerable<Video> videos, IEnumerable<LabeledFrame> frames, Func<LabeledFrame, Instance, bool>? keepInstance)
    {
        var copy = new Labels { SourcePath = source.SourcePath };
        var kept = new HashSet<Video>(ReferenceEqualityComparer.Instance);
        foreach (var video in videos)
            if (kept.Add(video)) copy.Videos.Add(VideoOf(video));
        copy.Skeletons.AddRange(source.Skeletons.Select(SkeletonOf));
        copy.Tracks.AddRange(source.Tracks.Select(TrackOf));
        copy.Suggestions.AddRange(source.Suggestions.Where(s => kept.Contains(s.Video)).Select(s => s with { Video = VideoOf(s.Video) }));
        foreach (var (key, value) in source.Provenance) copy.Provenance[key] = value;
        foreach (var frame in frames)
        {
            if (!kept.Contains(frame.Video))
                throw new ArgumentException($"Frame {frame.FrameIndex} of '{frame.Video.Filename}' is of a video the copy does not keep.", nameof(frames));
            copy.LabeledFrames.Add(FrameOf(frame, keepInstance));
        }
        // Instances may refer to skeletons or tracks the source's lists lack (labels built in memory): list them too.
        copy.CollectReferencedItems();
        return copy;
    }

    /// <summary>The copy of a frame and of the instances <paramref name="keepInstance"/> accepts (all when null).</summary>
    public LabeledFrame FrameOf(LabeledFrame frame, Func<LabeledFrame, Instance, bool>? keepInstance = null)
    {
        var copied = new Dictionary<Instance, Instance>(ReferenceEqualityComparer.Instance);
        var instances = new List<Instance>(frame.Instances.Count);
        foreach (var instance in frame.Instances)
        {
            if (keepInstance is not null && !keepInstance(frame, instance)) continue;
            var clone = InstanceOf(instance);
            copied[instance] = clone;
            instances.Add(clone);
        }
        // A correction keeps its link to the prediction it came from when that prediction was copied too; a copy that
        // shares skeletons may also keep a link to a prediction it did not copy, the source's.
        foreach (var (original, clone) in copied)
        {
            if (original.FromPredicted is not { } from) continue;
            if (copied.TryGetValue(from, out var fromCopy)) clone.FromPredicted = (PredictedInstance)fromCopy;
            else if (_sharesVideosSkeletonsAndTracks) clone.FromPredicted = from;
        }
        return new LabeledFrame(VideoOf(frame.Video), frame.FrameIndex, instances);
    }

    /// <summary>The copy of an instance: its own points array, the copies of its skeleton and track; no FromPredicted link.</summary>
    public Instance InstanceOf(Instance instance)
    {
        var skeleton = SkeletonOf(instance.Skeleton);
        var track = instance.Track is null ? null : TrackOf(instance.Track);
        return instance is PredictedInstance predicted
            ? new PredictedInstance(skeleton, predicted.Points.ToArray(), predicted.Score, track, predicted.TrackingScore)
            : new Instance(skeleton, instance.Points.ToArray(), track);
    }

    public Track TrackOf(Track track)
    {
        if (_sharesVideosSkeletonsAndTracks) return track;
        if (!_tracks.TryGetValue(track, out var copy))
            _tracks[track] = copy = new Track(track.Name, track.SpawnedOn);
        return copy;
    }

    public Skeleton SkeletonOf(Skeleton skeleton)
    {
        if (_sharesVideosSkeletonsAndTracks) return skeleton;
        if (_skeletons.TryGetValue(skeleton, out var copy)) return copy;
        var nodes = skeleton.Nodes.ToDictionary(n => n, n => new Node(n.Name));
        copy = new Skeleton(skeleton.Name, skeleton.Nodes.Select(n => nodes[n]),
            skeleton.Edges.Select(e => new Edge(nodes[e.Source], nodes[e.Destination])),
            skeleton.Symmetries.Select(s => new Symmetry(nodes[s.First], nodes[s.Second])))
        {
            Description = skeleton.Description,
        };
        _skeletons[skeleton] = copy;
        return copy;
    }

    /// <summary>The copy of a video, with every field the file gave (the embedded frames' source video is shared: it is provenance only).</summary>
    public Video VideoOf(Video video)
    {
        if (_sharesVideosSkeletonsAndTracks) return video;
        if (_videos.TryGetValue(video, out var copy)) return copy;
        copy = new Video(video.Filename, video.Backend)
        {
            ResolvedPath = video.ResolvedPath,
            Dataset = video.Dataset,
            EmbeddedFrameNumbers = video.EmbeddedFrameNumbers?.ToArray(),
            SourceVideo = video.SourceVideo,
            Grayscale = video.Grayscale,
            FrameCount = video.FrameCount,
            Height = video.Height,
            Width = video.Width,
            Channels = video.Channels,
            Fps = video.Fps,
            BackendMetadata = video.BackendMetadata?.DeepClone().AsObject(),
        };
        copy.ImageFilenames.AddRange(video.ImageFilenames);
        copy.ResolvedImageFilenames.AddRange(video.ResolvedImageFilenames);
        _videos[video] = copy;
        return copy;
    }
}
