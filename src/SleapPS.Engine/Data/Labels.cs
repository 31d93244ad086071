namespace SleapPS.Engine.Data;

/// <summary>
/// A SLEAP labels project: videos, skeletons, tracks, suggestions, labelled frames and provenance.
/// </summary>
public sealed class Labels
{
    public List<Video> Videos { get; } = new();
    public List<Skeleton> Skeletons { get; } = new();
    public List<Track> Tracks { get; } = new();
    public List<SuggestionFrame> Suggestions { get; } = new();
    public List<LabeledFrame> LabeledFrames { get; } = new();

    /// <summary>
    /// Free-form record of how the labels were made (SLEAP writes model paths, versions, arguments).
    /// Values are strings, numbers, booleans, null, lists and nested dictionaries, as in JSON.
    /// </summary>
    public Dictionary<string, object?> Provenance { get; } = new();

    /// <summary>The file these labels were read from, or null when built in memory.</summary>
    public string? SourcePath { get; set; }

    public Skeleton? Skeleton => Skeletons.Count > 0 ? Skeletons[0] : null;

    public int InstanceCount => LabeledFrames.Sum(f => f.Instances.Count);

    public IEnumerable<Instance> AllInstances => LabeledFrames.SelectMany(f => f.Instances);

    /// <summary>The labelled frame for a video and frame index, or null.</summary>
    public LabeledFrame? Find(Video video, long frameIndex) =>
        LabeledFrames.Find(f => ReferenceEquals(f.Video, video) && f.FrameIndex == frameIndex);

    /// <summary>
    /// Adds every video, skeleton and track that the labelled frames refer to but the lists lack.
    /// New tracks are appended sorted by (spawned on, name), as SLEAP does when it builds labels from frames.
    /// </summary>
    public void CollectReferencedItems()
    {
        foreach (var frame in LabeledFrames)
        {
            if (!Videos.Contains(frame.Video)) Videos.Add(frame.Video);
            foreach (var instance in frame.Instances)
                if (!Skeletons.Contains(instance.Skeleton)) Skeletons.Add(instance.Skeleton);
        }
        var known = new HashSet<Track>(Tracks);
        var newTracks = AllInstances.Select(i => i.Track).OfType<Track>().Where(known.Add).ToList();
        Tracks.AddRange(newTracks.OrderBy(t => t.SpawnedOn).ThenBy(t => t.Name, StringComparer.Ordinal));
    }

    public override string ToString() =>
        $"Labels ({Videos.Count} videos, {LabeledFrames.Count} frames, {InstanceCount} instances, {Tracks.Count} tracks)";
}
