using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO.Package;

/// <summary>Which frames a package (.pkg.slp) carries as images (docs/design/file-formats.md §11).</summary>
public enum EmbeddedFrames
{
    /// <summary>Frames that hold at least one user (hand-labelled) instance: what SLEAP embeds for training.</summary>
    User,
    /// <summary>Every labelled frame, user or predicted.</summary>
    Labeled,
    /// <summary>The suggested frames.</summary>
    Suggested,
    /// <summary>Every labelled frame and every suggested frame.</summary>
    All,
}

/// <summary>Chooses the frames of each video that a package embeds.</summary>
public static class EmbeddedFrameSelection
{
    /// <summary>For each video that has frames to embed: its frame indices, ascending and distinct.</summary>
    public static Dictionary<Video, long[]> Select(Labels labels, EmbeddedFrames which)
    {
        var chosen = new Dictionary<Video, SortedSet<long>>();
        void Add(Video video, long frameIndex)
        {
            if (!chosen.TryGetValue(video, out var set)) chosen[video] = set = [];
            set.Add(frameIndex);
        }

        if (which is EmbeddedFrames.User or EmbeddedFrames.Labeled or EmbeddedFrames.All)
            foreach (var frame in labels.LabeledFrames)
                if (which != EmbeddedFrames.User || frame.Instances.Any(i => !i.IsPredicted))
                    Add(frame.Video, frame.FrameIndex);
        if (which is EmbeddedFrames.Suggested or EmbeddedFrames.All)
            foreach (var suggestion in labels.Suggestions)
                Add(suggestion.Video, suggestion.FrameIndex);
        return chosen.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }
}
