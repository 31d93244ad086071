using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Tracking;

/// <summary>
/// SLEAP's tracker, frame by frame: feed the frames of one video in order with
/// <see cref="TrackFrame"/> (predicting and tracking in one pass), then call
/// <see cref="FinalPass"/> with all the frames for the post-processing.
/// </summary>
/// <remarks>
/// Instances are tracked in place: their <see cref="Instance.Track"/> and
/// <see cref="PredictedInstance.TrackingScore"/> are set, and the frame's instance list is
/// replaced by the tracked ones (pre-culling, <c>min_new_track_points</c> and max tracks can drop
/// instances, as in SLEAP). Hand it instances you own.
/// </remarks>
public sealed class FrameTracker : IDisposable
{
    private readonly TrackerSettings _settings;
    private readonly InstanceTracker? _tracker;
    private readonly KalmanTracker? _kalman;
    private (int Height, int Width)? _frameSize;

    /// <summary>Checks the options as SLEAP does; invalid combinations throw an InvalidArgument <see cref="SleapException"/> with SLEAP's message.</summary>
    public FrameTracker(TrackerOptions options, Action<string>? warn = null)
    {
        _settings = new TrackerSettings(options);
        if (_settings.Tracker != TrackerKind.None)
            _tracker = new InstanceTracker(_settings, Similarity.Create(_settings.Options, () => _frameSize, warn));
        if (_tracker is not null && _settings.UsesKalman)
            _kalman = new KalmanTracker(_tracker, _settings);
    }

    /// <summary>The tracker that runs after SLEAP's renaming (simple becomes simplemaxtracks with max tracking).</summary>
    public TrackerKind Tracker => _settings.Tracker;

    /// <summary>SLEAP's name for it, e.g. <c>SimpleCandidateMaker.instance_similarity.greedy_matching</c>.</summary>
    public string Name => _settings.Name;

    /// <summary>Whether <see cref="TrackFrame"/> needs the frame's pixels (flow trackers).</summary>
    public bool UsesImage => _settings.UsesImage;

    /// <summary>
    /// Whether <see cref="FinalPass"/> changes anything (clean_instance_count, or post_connect_single_breaks with a
    /// target count): only then must a caller keep all the frames it tracked until the end.
    /// </summary>
    public bool HasFinalPass
    {
        get
        {
            if (_tracker is null) return false;
            var options = _settings.Options;
            return options.CleanInstanceCount > 0
                || (options.PostConnectSingleBreaks && (options.TargetInstanceCount > 0 || options.MaxTracks is > 0));
        }
    }

    /// <summary>
    /// The tracks created so far, in creation order (named track_0, track_1, …), then those the Kalman
    /// filter tracker made to replace lost tracks (same names as the tracks they replace).
    /// </summary>
    public IReadOnlyList<Track> Tracks =>
        _tracker is null ? [] : [.. _tracker.SpawnedTracks, .. _kalman?.ReplacementTracks ?? []];

    /// <summary>
    /// Tracks one frame: every instance loses its old track and gets a new one. <paramref name="image"/>
    /// is the frame as SLEAP sees it (needed by flow trackers; also gives the frame size for the
    /// normalized instance similarity, which otherwise comes from the video). The frame index is the
    /// time step new tracks record as their spawn frame. With the Kalman filter tracker, instances
    /// the filters do not match keep no track, and the frame index is the filters' time step (the
    /// regular tracker that prepares them infers its own, as in SLEAP).
    /// </summary>
    public void TrackFrame(LabeledFrame frame, FrameImage? image = null)
    {
        if (_tracker is null) return;
        if (UsesImage && image is null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The {TrackingNames.Of(Tracker)} tracker follows instances by optical flow and needs the pixels of frame {frame.FrameIndex} of '{frame.Video.Filename}'. " +
                "Give the frame image, or use the simple tracker.", frame.Video.Filename);
        _frameSize ??= image is not null ? (image.Height, image.Width)
            : frame.Video.Height is int h && frame.Video.Width is int w ? (h, w) : null;

        var untracked = frame.Instances.Select(i => Pose.Of(i, untracked: true)).ToList();
        foreach (var instance in frame.Instances) instance.Track = null;
        var tracked = _kalman is not null
            ? _kalman.Track(untracked, frame.FrameIndex)
            : _tracker.Track(untracked, _tracker.PrepareImage(image), frame.FrameIndex);

        frame.Instances.Clear();
        foreach (var (pose, score) in tracked)
        {
            var instance = pose.Instance!;
            instance.Track = pose.Track;
            if (score is double s && instance is PredictedInstance predicted) predicted.TrackingScore = s;
            frame.Instances.Add(instance);
        }
    }

    /// <summary>
    /// SLEAP's <c>final_pass</c> on all tracked frames (in frame order): the deprecated cleaner when
    /// clean_instance_count is set, otherwise connecting single track breaks when asked for (with
    /// target_instance_count, or max_tracks when that is 0).
    /// </summary>
    public void FinalPass(List<LabeledFrame> frames)
    {
        if (!HasFinalPass) return;
        var options = _settings.Options;
        if (options.CleanInstanceCount > 0)
        {
            Culling.CullInstances(frames, options.CleanInstanceCount, options.CleanIouThreshold);
            TrackBreaks.ConnectSingleTrackBreaks(frames, options.CleanInstanceCount);
        }
        else
        {
            int count = options.TargetInstanceCount > 0 ? options.TargetInstanceCount : options.MaxTracks!.Value;
            TrackBreaks.ConnectSingleTrackBreaks(frames, count);
        }
    }

    public void Dispose() => _tracker?.Dispose();
}
