namespace SleapPS.Engine.Tracking;

/// <summary>
/// Every option of SLEAP's tracker (<c>sleap-track --tracking.*</c>, <c>Tracker.make_tracker_by_name</c>),
/// with SLEAP's defaults. Property names are SLEAP's option names in PascalCase.
/// </summary>
public sealed class TrackerOptions
{
    /// <summary><c>tracker</c>: the candidate maker. SLEAP's default is flow.</summary>
    public TrackerKind Tracker { get; set; } = TrackerKind.Flow;

    /// <summary><c>similarity</c>: how an untracked instance is compared with a candidate.</summary>
    public SimilarityKind Similarity { get; set; } = SimilarityKind.Instance;

    /// <summary><c>match</c>: how instances are paired with tracks.</summary>
    public MatchKind Match { get; set; } = MatchKind.Greedy;

    /// <summary><c>track_window</c>: frames (normal mode) or instances per track (max-tracks mode) kept as candidates.</summary>
    public int TrackWindow { get; set; } = 5;

    /// <summary><c>robust</c>: quantile of a track's candidate similarities; 1 (or any value outside (0, 1)) takes the maximum.</summary>
    public double Robust { get; set; } = 1.0;

    /// <summary><c>min_new_track_points</c>: unmatched instances with fewer visible points get no track and are dropped.</summary>
    public int MinNewTrackPoints { get; set; }

    /// <summary><c>min_match_points</c>: candidates need at least this many visible points (flow: more than this many points found).</summary>
    public int MinMatchPoints { get; set; }

    /// <summary><c>img_scale</c>: image scale for optical flow (flow only).</summary>
    public double ImgScale { get; set; } = 1.0;

    /// <summary><c>of_window_size</c>: Lucas-Kanade window size at each pyramid level (flow only).</summary>
    public int OfWindowSize { get; set; } = 21;

    /// <summary><c>of_max_levels</c>: pyramid levels of the optical flow (flow only).</summary>
    public int OfMaxLevels { get; set; } = 3;

    /// <summary><c>save_shifted_instances</c>: chain flow from the last shifted copy instead of the original frame (flow only).</summary>
    public bool SaveShiftedInstances { get; set; }

    /// <summary><c>target_instance_count</c>: the number of animals per frame (pre-cull, break connection, Kalman).</summary>
    public int TargetInstanceCount { get; set; }

    /// <summary><c>pre_cull_to_target</c>: cull each frame to <see cref="TargetInstanceCount"/> before matching.</summary>
    public bool PreCullToTarget { get; set; }

    /// <summary><c>pre_cull_iou_threshold</c>: overlap above which the lower-scoring instance is suppressed before culling by score.</summary>
    public double? PreCullIouThreshold { get; set; }

    /// <summary><c>post_connect_single_breaks</c>: after tracking, join a track that ended with the single track that started.</summary>
    public bool PostConnectSingleBreaks { get; set; }

    /// <summary><c>clean_instance_count</c>: deprecated cleaner run after tracking (0 = off).</summary>
    public int CleanInstanceCount { get; set; }

    /// <summary><c>clean_iou_threshold</c>: overlap threshold of the cleaner.</summary>
    public double? CleanIouThreshold { get; set; }

    /// <summary><c>max_tracks</c>: maximum number of tracks (max-tracks mode).</summary>
    public int? MaxTracks { get; set; }

    /// <summary><c>max_tracking</c>: turn simple/flow into their max-tracks variants (needs <see cref="MaxTracks"/>).</summary>
    public bool MaxTracking { get; set; }

    /// <summary><c>kf_init_frame_count</c>: frames tracked normally before Kalman filters take over (0 = no Kalman filter).</summary>
    public int KfInitFrameCount { get; set; }

    /// <summary><c>kf_node_indices</c>: the nodes whose positions the Kalman filters follow.</summary>
    public int[]? KfNodeIndices { get; set; }

    /// <summary><c>oks_errors</c>: per-node standard error in pixels of the object keypoint similarity (null = 1).</summary>
    public double[]? OksErrors { get; set; }

    /// <summary><c>oks_score_weighting</c>: weight each object keypoint term by the two points' scores.</summary>
    public bool OksScoreWeighting { get; set; }

    /// <summary><c>oks_normalization</c>: the object keypoint similarity's denominator.</summary>
    public OksNormalization OksNormalization { get; set; } = OksNormalization.All;

    public TrackerOptions Clone() => (TrackerOptions)MemberwiseClone();
}
