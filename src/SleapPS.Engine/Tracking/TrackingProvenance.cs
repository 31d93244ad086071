using System.Globalization;

namespace SleapPS.Engine.Tracking;

/// <summary>What a tracked prediction run records of its tracker in the output file's provenance.</summary>
public static class TrackingProvenance
{
    /// <summary>
    /// The tracker options under sleap-track's argument names (<c>tracking.tracker</c>, <c>tracking.track_window</c>,
    /// ...), as SLEAP's provenance args hold them; every value null when the run does not track (SLEAP's None).
    /// </summary>
    public static Dictionary<string, object?> Args(TrackerOptions? options)
    {
        var tracking = options is { Tracker: not TrackerKind.None } ? options : null;
        return new Dictionary<string, object?>
        {
            ["tracking.tracker"] = tracking is null ? null : TrackingNames.Of(tracking.Tracker),
            ["tracking.similarity"] = tracking is null ? null : TrackingNames.Of(tracking.Similarity),
            ["tracking.match"] = tracking is null ? null : TrackingNames.Of(tracking.Match),
            ["tracking.track_window"] = (long?)tracking?.TrackWindow,
            ["tracking.robust"] = tracking?.Robust,
            ["tracking.min_new_track_points"] = (long?)tracking?.MinNewTrackPoints,
            ["tracking.min_match_points"] = (long?)tracking?.MinMatchPoints,
            ["tracking.img_scale"] = tracking?.ImgScale,
            ["tracking.of_window_size"] = (long?)tracking?.OfWindowSize,
            ["tracking.of_max_levels"] = (long?)tracking?.OfMaxLevels,
            ["tracking.save_shifted_instances"] = tracking?.SaveShiftedInstances,
            ["tracking.target_instance_count"] = (long?)tracking?.TargetInstanceCount,
            ["tracking.pre_cull_to_target"] = tracking?.PreCullToTarget,
            ["tracking.pre_cull_iou_threshold"] = tracking?.PreCullIouThreshold,
            ["tracking.post_connect_single_breaks"] = tracking?.PostConnectSingleBreaks,
            ["tracking.clean_instance_count"] = (long?)tracking?.CleanInstanceCount,
            ["tracking.clean_iou_threshold"] = tracking?.CleanIouThreshold,
            ["tracking.max_tracks"] = (long?)tracking?.MaxTracks,
            ["tracking.max_tracking"] = tracking?.MaxTracking,
            ["tracking.kf_init_frame_count"] = (long?)tracking?.KfInitFrameCount,
            ["tracking.kf_node_indices"] = tracking?.KfNodeIndices is { } nodes ? string.Join(",", nodes) : null,
            ["tracking.oks_errors"] = tracking?.OksErrors is { } errors ? string.Join(",", errors.Select(e => e.ToString(CultureInfo.InvariantCulture))) : null,
            ["tracking.oks_score_weighting"] = tracking?.OksScoreWeighting,
            ["tracking.oks_normalization"] = tracking?.OksNormalization.ToString().ToLowerInvariant(),
        };
    }
}
