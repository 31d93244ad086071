using SleapPS.Engine.Data;

namespace SleapPS.Engine.Tracking;

/// <summary>
/// SLEAP's <c>KalmanTracker</c> (<c>kf_init_frame_count</c> &gt; 0): the regular simple tracker tracks
/// frames until <c>kf_init_frame_count</c> consecutive good frames are collected, then one Kalman
/// filter per track takes over; when the filters stop matching, the regular tracker starts again.
/// </summary>
internal sealed class KalmanTracker
{
    /// <summary>Frames after fitting before the filters can be dropped (SLEAP's <c>re_init_cooldown</c>).</summary>
    private const int ReInitCooldown = 100;

    /// <summary>Frames without any match that drop the filters (SLEAP's <c>re_init_after</c>).</summary>
    private const int ReInitAfter = 20;

    private readonly InstanceTracker _initTracker;
    private readonly int _instanceCount;
    private readonly double? _iouThreshold;
    private readonly int _initFrameCount;
    private readonly int[] _nodes;

    // SLEAP's KalmanInitSet: the tracked instances of the consecutive good frames so far.
    private readonly List<List<Pose>> _initFrames = new();
    // Whether the regular tracker has matched a non-empty frame yet (SLEAP's last_matches is not None).
    private bool _initTrackerHasMatches;
    private KalmanFilterTracker? _filters;
    private long _fittedOn;

    public KalmanTracker(InstanceTracker initTracker, TrackerSettings settings)
    {
        _initTracker = initTracker;
        _instanceCount = settings.KalmanInstanceCount;
        _iouThreshold = settings.PreCullIouThreshold;
        _initFrameCount = settings.Options.KfInitFrameCount;
        _nodes = settings.Options.KfNodeIndices!;
    }

    /// <summary>Tracks the filters made to replace lost tracks.</summary>
    public IEnumerable<Track> ReplacementTracks => _filters?.ReplacementTracks ?? [];

    /// <summary>
    /// Tracks one frame. <paramref name="untracked"/> is culled to the instance count first. While
    /// the filters are not fitted, the result is the regular tracker's; afterwards it is every
    /// remaining instance, those matched to a filter with its track and the others with none.
    /// </summary>
    public List<TrackedPose> Track(List<Pose> untracked, long frameIndex)
    {
        CheckNodes(untracked);
        // SLEAP culls every frame with the Kalman count and pre_cull_iou_threshold (it also installs
        // this cull as the regular tracker's pre-cull; culling twice changes nothing).
        Culling.CullPoses(untracked, _instanceCount, _iouThreshold);

        List<TrackedPose> tracked;
        if (_filters is null)
        {
            tracked = TrackForInitialisation(untracked, frameIndex);
        }
        else
        {
            _filters.TrackFrame(untracked, frameIndex);
            tracked = untracked.Select(p => new TrackedPose(p, null)).ToList();
        }

        if (_filters is not null && frameIndex - _fittedOn > ReInitCooldown && _filters.LastFrameWithTracks < frameIndex - ReInitAfter)
        {
            // The filters lost the animals: collect good frames with the regular tracker again, from no
            // candidates. With max tracking the regular tracker keeps its full set of (now empty) tracks,
            // so it can neither match nor start a track and drops every instance from here on; SLEAP
            // does not get that far (inferring the next time step from an empty track history raises
            // an IndexError there).
            _filters = null;
            _initFrames.Clear();
            _initTracker.ResetCandidates();
        }
        return tracked;
    }

    private List<TrackedPose> TrackForInitialisation(List<Pose> untracked, long frameIndex)
    {
        // Upstream quirk: SLEAP calls the regular tracker as track(instances, img, t), which lands in
        // its (untracked_instances, img_hw, img) parameters, so the regular tracker never gets the
        // frame index and infers it (one past its last stored frame, 0 after a re-initialisation);
        // new tracks record that as their spawn frame.
        var tracked = _initTracker.Track(untracked, null, null);
        bool hadInstances = untracked.Count > 0;
        // SLEAP judges a frame by the regular tracker's last matches, which an empty frame does not
        // replace: before any non-empty frame there are none and the frame counts as good.
        bool good = !_initTrackerHasMatches && !hadInstances
            || hadInstances && _initTracker.LastMatchesAllFirstChoice && tracked.Count(t => IsUsable(t.Pose)) >= _instanceCount;
        _initTrackerHasMatches |= hadInstances;

        if (good) _initFrames.Add(tracked.Select(t => t.Pose).ToList());
        else _initFrames.Clear();

        if (_initFrames.Count >= _initFrameCount)
        {
            var instances = _initFrames.SelectMany(f => f).Where(IsUsable).ToList();
            // SLEAP raises "Kalman filter must be initialized with instances." when the good frames
            // hold no usable instance (only empty frames so far); here the collection goes on instead.
            if (instances.Count > 0)
            {
                _filters = KalmanFilterTracker.Fit(instances, _nodes);
                _fittedOn = frameIndex;
            }
        }
        return tracked;
    }

    /// <summary>SLEAP's <c>is_usable_instance</c>: tracked, with every followed node present.</summary>
    private bool IsUsable(Pose pose) => pose.Track is not null && _nodes.All(pose.IsPresent);

    private void CheckNodes(List<Pose> poses)
    {
        foreach (var pose in poses)
            foreach (int node in _nodes)
                if (node >= pose.NodeCount)
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"kf_node_indices has node {node}, but the skeleton has {pose.NodeCount} nodes (0 to {pose.NodeCount - 1}). " +
                        "Give the 0-based positions of nodes the animals reliably show, e.g. 0,1.");
    }
}
