namespace SleapPS.Engine.Tracking;

/// <summary>
/// <see cref="TrackerOptions"/> checked and resolved the way SLEAP's <c>make_tracker_by_name</c>
/// does: max_tracking only with max_tracks, simple/flow renamed to their max-tracks variants, flow
/// settings used only by the plain flow tracker, Kalman prerequisites.
/// </summary>
internal sealed class TrackerSettings
{
    public TrackerSettings(TrackerOptions options)
    {
        Options = options.Clone();
        MaxTracking = options.MaxTracking && options.MaxTracks is > 0;
        Tracker = options.Tracker switch
        {
            TrackerKind.Simple when MaxTracking => TrackerKind.SimpleMaxTracks,
            TrackerKind.Flow when MaxTracking => TrackerKind.FlowMaxTracks,
            var kind => kind,
        };
        CheckRanges(options);
        CheckKalman(options);

        // SLEAP copies the flow settings only into the plain flow tracker; flowmaxtracks keeps the defaults.
        bool plainFlow = Tracker == TrackerKind.Flow;
        ImgScale = plainFlow ? options.ImgScale : 1.0;
        OfWindowSize = plainFlow ? options.OfWindowSize : 21;
        OfMaxLevels = plainFlow ? options.OfMaxLevels : 3;
        SaveShiftedInstances = plainFlow && options.SaveShiftedInstances;
        KalmanInstanceCount = options.TargetInstanceCount > 0 ? options.TargetInstanceCount : options.MaxTracks ?? 0;
    }

    public TrackerOptions Options { get; }
    public TrackerKind Tracker { get; }
    public bool MaxTracking { get; }
    public int MaxTracks => Options.MaxTracks ?? 0;
    public bool IsMaxTracksMode => Tracker is TrackerKind.SimpleMaxTracks or TrackerKind.FlowMaxTracks;
    public bool UsesImage => Tracker is TrackerKind.Flow or TrackerKind.FlowMaxTracks;
    public bool UsesKalman => Options.KfInitFrameCount > 0;
    public int KalmanInstanceCount { get; }

    public MatchKind Match => Options.Match;
    public int TrackWindow => Options.TrackWindow;
    public double Robust => Options.Robust;
    public int MinNewTrackPoints => Options.MinNewTrackPoints;
    public int MinMatchPoints => Options.MinMatchPoints;
    public int TargetInstanceCount => Options.TargetInstanceCount;
    public bool PreCullToTarget => Options.PreCullToTarget;
    public double? PreCullIouThreshold => Options.PreCullIouThreshold;

    public double ImgScale { get; }
    public int OfWindowSize { get; }
    public int OfMaxLevels { get; }
    public bool SaveShiftedInstances { get; }

    /// <summary>SLEAP's tracker name, e.g. <c>SimpleCandidateMaker.instance_similarity.greedy_matching</c>.</summary>
    public string Name => TrackingNames.TrackerName(Tracker, Options.Similarity, Options.Match);

    private void CheckKalman(TrackerOptions options)
    {
        bool hasCount = options.MaxTracks is > 0 || options.TargetInstanceCount > 0;
        if (options.KfInitFrameCount <= 0) return;
        if (!hasCount)
            throw Invalid("Kalman filter requires max tracks or target instance count.",
                "Give max_tracks (-MaxTracks) or target_instance_count (-TargetInstanceCount).");
        if (options.KfNodeIndices is not { Length: > 0 })
            throw Invalid("Kalman filter requires node indices for instance tracking.",
                "Give kf_node_indices (-KalmanNodeIndices), e.g. 0,1: the nodes whose positions the filters follow.");
        if (Tracker is not (TrackerKind.Simple or TrackerKind.SimpleMaxTracks))
            throw Invalid("Kalman filter requires simple tracker for initial tracking.",
                $"Use the simple or simplemaxtracks tracker instead of {TrackingNames.Of(Tracker)}.");
        if (options.Similarity == SimilarityKind.NormalizedInstance)
            throw Invalid("Kalman filter does not support normalized_instance_similarity.",
                "Use another similarity, e.g. instance.");
    }

    private static void CheckRanges(TrackerOptions options)
    {
        if (options.TrackWindow < 1)
            throw Invalid($"track_window must be at least 1, but is {options.TrackWindow}.", "It is the number of frames whose instances are matched against.");
        if (!(options.ImgScale > 0) || double.IsInfinity(options.ImgScale))
            throw Invalid($"img_scale must be a positive number, but is {options.ImgScale}.", "It scales the frames for optical flow; 1 keeps them as they are.");
        if (options.OfWindowSize < 3)
            throw Invalid($"of_window_size must be at least 3 pixels, but is {options.OfWindowSize}.", "SLEAP's default is 21.");
        if (options.OfMaxLevels < 0)
            throw Invalid($"of_max_levels must be 0 or more, but is {options.OfMaxLevels}.", "SLEAP's default is 3.");
        if (options.MaxTracks is < 0)
            throw Invalid($"max_tracks must be 0 or more, but is {options.MaxTracks}.", "It is the largest number of tracks the tracker creates.");
        if (options.TargetInstanceCount < 0 || options.CleanInstanceCount < 0)
            throw Invalid("target_instance_count and clean_instance_count must be 0 or more.", "They are numbers of animals per frame; 0 turns them off.");
        if (options.KfNodeIndices is { } nodes && nodes.Any(n => n < 0))
            throw Invalid($"kf_node_indices must be node positions (0 or more), but are {string.Join(",", nodes)}.", "Give the 0-based positions of skeleton nodes, e.g. 0,1.");
        if (options.OksErrors is { } errors && errors.Any(e => !(e > 0)))
            throw Invalid($"oks_errors must be positive numbers of pixels, but are {string.Join(",", errors)}.", "Give one standard error per node, or a single one for all.");
    }

    private static SleapException Invalid(string sleapMessage, string whatToDo) =>
        new(SleapErrorKind.InvalidArgument, sleapMessage + " " + whatToDo);
}
