using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO;

/// <summary>
/// Reads the frames of .slp files that are parts of one output, moved onto the output's own videos (matched by file
/// name), skeleton and tracks (matched by name and spawn frame), so that frames of different parts share them.
/// </summary>
internal sealed class SlpPartFrames
{
    private readonly Skeleton _skeleton;
    private readonly Dictionary<string, Video> _videosByName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, int SpawnedOn), Track> _tracks = new();

    /// <param name="skeleton">The output's skeleton: each part's skeleton must have its nodes.</param>
    /// <param name="videos">The output's videos: each part's frames must be of one of them.</param>
    public SlpPartFrames(Skeleton skeleton, IEnumerable<Video> videos)
    {
        _skeleton = skeleton;
        foreach (var video in videos) _videosByName.TryAdd(video.Filename, video);
    }

    /// <summary>The tracks of the frames read so far, in SLEAP's order (spawn frame, then name).</summary>
    public List<Track> Tracks => _tracks.Values.OrderBy(t => t.SpawnedOn).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>A part's frames, in file order.</summary>
    /// <param name="dropEmptyFrames">Leave out frames without instances.</param>
    /// <exception cref="SleapException">InvalidData when the part cannot be read or holds other videos or skeletons.</exception>
    public List<LabeledFrame> Read(string part, bool dropEmptyFrames)
    {
        Labels labels;
        try
        {
            labels = LabelsReader.Read(part, new LabelsReadOptions { ReadVideoHeaders = false });
        }
        catch (SleapException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"The part '{part}' cannot be read ({ex.Message}).", part, ex);
        }
        foreach (var partSkeleton in labels.Skeletons)
            if (!partSkeleton.Nodes.Select(n => n.Name).SequenceEqual(_skeleton.Nodes.Select(n => n.Name)))
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"The part '{part}' holds instances of the skeleton '{partSkeleton.Name}', whose nodes differ from those of '{_skeleton.Name}'.", part);

        var frames = new List<LabeledFrame>(labels.LabeledFrames.Count);
        foreach (var frame in labels.LabeledFrames)
        {
            if (dropEmptyFrames && frame.Instances.Count == 0) continue;
            var video = _videosByName.GetValueOrDefault(frame.Video.Filename)
                ?? throw new SleapException(SleapErrorKind.InvalidData,
                    $"The part '{part}' holds frames of '{frame.Video.Filename}', which this run does not predict on.", part);
            frames.Add(new LabeledFrame(video, frame.FrameIndex, MoveInstances(frame.Instances)));
        }
        return frames;
    }

    private List<Instance> MoveInstances(List<Instance> instances)
    {
        var moved = new Dictionary<Instance, Instance>(instances.Count, ReferenceEqualityComparer.Instance);
        foreach (var instance in instances)
            moved[instance] = instance is PredictedInstance predicted
                ? new PredictedInstance(_skeleton, predicted.Points, predicted.Score, TrackOf(predicted.Track), predicted.TrackingScore)
                : new Instance(_skeleton, instance.Points, TrackOf(instance.Track));
        foreach (var (instance, copy) in moved)
            if (instance.FromPredicted is { } source && moved.GetValueOrDefault(source) is PredictedInstance sourceCopy)
                copy.FromPredicted = sourceCopy;
        return instances.Select(i => moved[i]).ToList();
    }

    private Track? TrackOf(Track? partTrack)
    {
        if (partTrack is null) return null;
        var key = (partTrack.Name, partTrack.SpawnedOn);
        if (!_tracks.TryGetValue(key, out var track)) _tracks[key] = track = new Track(partTrack.Name, partTrack.SpawnedOn);
        return track;
    }
}
