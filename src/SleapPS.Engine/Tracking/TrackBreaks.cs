using SleapPS.Engine.Data;

namespace SleapPS.Engine.Tracking;

/// <summary>SLEAP's <c>connect_single_track_breaks</c>: post-processing that joins broken tracks.</summary>
public static class TrackBreaks
{
    /// <summary>
    /// Walks the frames in order. When a frame has exactly one track that the last good frame lacked
    /// and lacks exactly one of its tracks, the instance on the new track moves to the missing track,
    /// and so do later instances on that new track (unless the frame already has the old track).
    /// A frame with <paramref name="instanceCount"/> tracks becomes the new good frame.
    /// </summary>
    public static void ConnectSingleTrackBreaks(IReadOnlyList<LabeledFrame> frames, int instanceCount)
    {
        if (frames.Count == 0) return;
        // Keys are boxed so that "untracked" (null) is a key too, as None is in SLEAP.
        var fixes = new Dictionary<TrackKey, Track?>();
        var lastGood = TracksOf(frames[0]);
        foreach (var frame in frames)
        {
            var tracks = TracksOf(frame);
            foreach (var instance in frame.Instances)
            {
                if (fixes.TryGetValue(new TrackKey(instance.Track), out var fixedTrack) && !tracks.Contains(fixedTrack))
                {
                    instance.Track = fixedTrack;
                    tracks = TracksOf(frame);
                }
            }
            var extra = new HashSet<Track?>(tracks);
            extra.ExceptWith(lastGood);
            var missing = new HashSet<Track?>(lastGood);
            missing.ExceptWith(tracks);
            if (extra.Count == 1 && missing.Count == 1)
            {
                var extraTrack = extra.Single();
                var missingTrack = missing.Single();
                var moved = frame.Instances.First(i => i.Track == extraTrack);
                fixes[new TrackKey(extraTrack)] = missingTrack;
                moved.Track = missingTrack;
            }
            else if (tracks.Count == instanceCount)
            {
                lastGood = tracks;
            }
        }
    }

    private readonly record struct TrackKey(Track? Track);

    private static HashSet<Track?> TracksOf(LabeledFrame frame) => frame.Instances.Select(i => i.Track).ToHashSet();
}
