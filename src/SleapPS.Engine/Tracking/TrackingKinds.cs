namespace SleapPS.Engine.Tracking;

/// <summary>SLEAP's candidate makers (<c>--tracking.tracker</c>).</summary>
public enum TrackerKind
{
    /// <summary>No tracking: instances are returned as they are.</summary>
    None,
    /// <summary>Candidates are the instances of the last <c>track_window</c> processed frames.</summary>
    Simple,
    /// <summary>Candidates are the instances of the last <c>track_window</c> frames, moved to the current frame by optical flow.</summary>
    Flow,
    /// <summary>Like <see cref="Simple"/>, with at most <c>max_tracks</c> tracks, each keeping its last <c>track_window</c> instances.</summary>
    SimpleMaxTracks,
    /// <summary>Like <see cref="Flow"/>, with at most <c>max_tracks</c> tracks.</summary>
    FlowMaxTracks,
}

/// <summary>SLEAP's similarity functions (<c>--tracking.similarity</c>).</summary>
public enum SimilarityKind
{
    Instance,
    NormalizedInstance,
    Centroid,
    Iou,
    ObjectKeypoint,
}

/// <summary>SLEAP's matching functions (<c>--tracking.match</c>).</summary>
public enum MatchKind
{
    Greedy,
    Hungarian,
}

/// <summary>The denominator of the object keypoint similarity (<c>--tracking.oks_normalization</c>).</summary>
public enum OksNormalization
{
    /// <summary>Number of nodes of the skeleton.</summary>
    All,
    /// <summary>Number of visible nodes of the untracked instance.</summary>
    Ref,
    /// <summary>Number of nodes visible in both instances.</summary>
    Union,
}

/// <summary>SLEAP's names for the kinds, as its command line spells them.</summary>
public static class TrackingNames
{
    public static string Of(TrackerKind kind) => kind.ToString().ToLowerInvariant();

    public static string Of(SimilarityKind kind) => kind switch
    {
        SimilarityKind.NormalizedInstance => "normalized_instance",
        SimilarityKind.ObjectKeypoint => "object_keypoint",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Of(MatchKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>SLEAP's tracker name, e.g. <c>SimpleCandidateMaker.instance_similarity.greedy_matching</c>.</summary>
    public static string TrackerName(TrackerKind tracker, SimilarityKind similarity, MatchKind match)
    {
        string maker = tracker switch
        {
            TrackerKind.Simple => "SimpleCandidateMaker",
            TrackerKind.Flow => "FlowCandidateMaker",
            TrackerKind.SimpleMaxTracks => "SimpleMaxTracksCandidateMaker",
            TrackerKind.FlowMaxTracks => "FlowMaxTracksCandidateMaker",
            _ => "None",
        };
        string similarityName = similarity switch
        {
            SimilarityKind.Centroid => "centroid_distance",
            SimilarityKind.Iou => "instance_iou",
            SimilarityKind.ObjectKeypoint => "object_keypoint_similarity",
            _ => Of(similarity) + "_similarity",
        };
        return $"{maker}.{similarityName}.{Of(match)}_matching";
    }
}
