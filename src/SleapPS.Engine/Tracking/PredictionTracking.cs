using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Pipeline;

namespace SleapPS.Engine.Tracking;

/// <summary>
/// Tracks predictions while they are made, as SLEAP's top-down and bottom-up predictors do (docs/design/tracking.md §1): each
/// frame's prediction goes, in prediction order, to the tracker of its video with the frame's pixels (flow), and
/// each video ends with the tracker's final pass.
/// </summary>
/// <remarks>
/// <para>
/// One tracker per video: identities do not carry from one video to the next (SLEAP runs one tracker per
/// <c>sleap-track</c> input; its labelled-frames mode would mix videos in one tracker, which makes no sense for
/// identities). A video named by several targets keeps its tracker across them. Tracks of different videos that
/// SLEAP would consider the same (same name and spawn frame, <c>Track.matches</c>) become one <see cref="Track"/>,
/// as when the resumable writer merges its parts.
/// </para>
/// <para>
/// Predictions come out in the order they went in. Without a final pass (the usual case) each one comes out as soon
/// as it is tracked, and nothing is held. With one (<c>clean_instance_count</c>, or <c>post_connect_single_breaks</c>
/// with a target count) a video's predictions are held until the video ends, since the final pass needs them all.
/// </para>
/// </remarks>
public sealed class PredictionTracking : IDisposable
{
    private readonly TrackerOptions _options;
    private readonly Action<string>? _warn;
    private readonly IReadOnlyList<PredictionTarget> _targets;
    private readonly Dictionary<Video, int> _lastTargetOf = new();
    private readonly Dictionary<Video, VideoTracker> _open = new();
    private readonly Queue<Pending> _pending = new();
    private readonly Dictionary<(string Name, int SpawnedOn), Track> _tracks = new();
    private readonly List<FramePrediction> _ready = new();
    private int _target = -1;

    /// <param name="options">The tracker options; checked as SLEAP checks them.</param>
    /// <param name="targets">What the pipeline predicts on, in order: tells when a video has no frames left.</param>
    /// <param name="warn">Receives the tracker's warnings.</param>
    /// <exception cref="SleapException">InvalidArgument with SLEAP's message for an invalid combination of options.</exception>
    public PredictionTracking(TrackerOptions options, IReadOnlyList<PredictionTarget> targets, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(targets);
        using (var check = new FrameTracker(options, warn))
        {
            UsesImage = check.UsesImage;
            HoldsVideos = check.HasFinalPass;
        }
        _options = options.Clone();
        _warn = warn;
        _targets = targets;
        for (int i = 0; i < targets.Count; i++) _lastTargetOf[targets[i].Video] = i;
    }

    /// <summary>Whether <see cref="Track"/> needs each frame's pixels (flow trackers).</summary>
    public bool UsesImage { get; }

    /// <summary>Whether a video's predictions are held until the video ends (the options have a final pass).</summary>
    public bool HoldsVideos { get; }

    /// <summary>
    /// Tracks one prediction in place (tracks and tracking scores set; instances the tracker drops removed) and
    /// returns the predictions that are now final, in prediction order: this one, and with a final pass those of
    /// a video that just ended (or none while the video goes on). The list is reused by the next call.
    /// </summary>
    /// <param name="image">The frame's pixels (needed by flow trackers; only read during the call).</param>
    public IReadOnlyList<FramePrediction> Track(FramePrediction prediction, FrameImage? image)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        _ready.Clear();
        MoveTo(prediction.Video);
        if (!_open.TryGetValue(prediction.Video, out var tracker))
            _open[prediction.Video] = tracker = new VideoTracker(new FrameTracker(_options, _warn), HoldsVideos);
        var frame = new LabeledFrame(prediction.Video, prediction.FrameIndex, prediction.Instances);
        tracker.Tracker.TrackFrame(frame, image);
        tracker.Frames?.Add(frame);
        _pending.Enqueue(new Pending(prediction, frame, tracker));
        Release();
        return _ready;
    }

    /// <summary>Ends every video (final pass) and returns the predictions still held, in prediction order.</summary>
    public IReadOnlyList<FramePrediction> Finish()
    {
        _ready.Clear();
        foreach (var tracker in _open.Values) tracker.End();
        Release();
        return _ready;
    }

    /// <summary>
    /// For a run that stops early: returns the predictions still held, tracked but without the final pass, so that
    /// they can be kept (a resumed run re-tracks them, <see cref="Retrack"/>).
    /// </summary>
    public IReadOnlyList<FramePrediction> Abandon()
    {
        _ready.Clear();
        while (_pending.TryDequeue(out var pending)) _ready.Add(Final(pending));
        return _ready;
    }

    /// <summary>
    /// Tracks labels again as <see cref="PredictionTracking"/> tracks predictions: per video, frames in the order
    /// they are listed (prediction order), old tracks dropped, flow frames read from the videos. What a resumed
    /// run does with the merged parts: the tracker's state cannot be resumed, so all frames are tracked in one go.
    /// </summary>
    /// <param name="dropEmptyFrames">Remove frames left without instances (the tracker may drop instances).</param>
    public static void Retrack(Labels labels, TrackerOptions options, bool dropEmptyFrames, Action<string>? warn = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var targets = new List<PredictionTarget>();
        foreach (var run in RunsOfOneVideo(labels.LabeledFrames))
            targets.Add(new PredictionTarget(run[0].Video, run.Select(f => f.FrameIndex).ToList()));
        using var tracking = new PredictionTracking(options, targets, warn);
        var tracked = new List<LabeledFrame>(labels.LabeledFrames.Count);
        var sources = new Dictionary<Video, (FrameSource Source, byte[] Buffer)>();
        try
        {
            foreach (var frame in labels.LabeledFrames)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
                prediction.Instances.AddRange(frame.PredictedInstances);
                Collect(tracking.Track(prediction, tracking.UsesImage ? ReadImage(frame) : null));
            }
            Collect(tracking.Finish());
        }
        finally
        {
            foreach (var (source, _) in sources.Values) source.Dispose();
        }
        labels.LabeledFrames.Clear();
        labels.LabeledFrames.AddRange(tracked);
        labels.Tracks.Clear();
        labels.CollectReferencedItems();

        void Collect(IReadOnlyList<FramePrediction> ready)
        {
            foreach (var prediction in ready)
                if (!dropEmptyFrames || prediction.Instances.Count > 0)
                    tracked.Add(new LabeledFrame(prediction.Video, prediction.FrameIndex, prediction.Instances));
        }

        FrameImage ReadImage(LabeledFrame frame)
        {
            if (!sources.TryGetValue(frame.Video, out var open))
            {
                var source = FrameSources.Open(frame.Video);
                sources[frame.Video] = open = (source, new byte[source.FrameByteCount]);
            }
            open.Source.ReadFrame(frame.FrameIndex, open.Buffer);
            return new FrameImage(open.Buffer, open.Source.Height, open.Source.Width, open.Source.Channels);
        }
    }

    public void Dispose()
    {
        foreach (var tracker in _open.Values) tracker.Tracker.Dispose();
        _open.Clear();
    }

    /// <summary>Follows the targets as predictions arrive; a video whose last target was just left ends.</summary>
    private void MoveTo(Video video)
    {
        if (_target >= 0 && ReferenceEquals(_targets[_target].Video, video)) return;
        int next = _target + 1;
        while (next < _targets.Count && !ReferenceEquals(_targets[next].Video, video)) next++;
        if (next == _targets.Count)
            throw new InvalidOperationException($"A prediction for '{video.Filename}' came after that video's last target.");
        if (_target >= 0 && _lastTargetOf[_targets[_target].Video] == _target && _open.TryGetValue(_targets[_target].Video, out var left))
            left.End();
        _target = next;
    }

    /// <summary>Moves the predictions at the head of the queue whose video needs them no more to the ready list.</summary>
    private void Release()
    {
        while (_pending.TryPeek(out var head) && (head.Tracker.Frames is null || head.Tracker.Ended))
            _ready.Add(Final(_pending.Dequeue()));
    }

    /// <summary>The prediction with the tracked frame's instances, on the run's shared tracks.</summary>
    private FramePrediction Final(Pending pending)
    {
        var instances = pending.Prediction.Instances;
        instances.Clear();
        foreach (var instance in pending.Frame.Instances)
        {
            var predicted = (PredictedInstance)instance;
            if (predicted.Track is { } track)
            {
                if (!_tracks.TryGetValue((track.Name, track.SpawnedOn), out var shared))
                    _tracks[(track.Name, track.SpawnedOn)] = shared = track;
                predicted.Track = shared;
            }
            instances.Add(predicted);
        }
        return pending.Prediction;
    }

    private static IEnumerable<List<LabeledFrame>> RunsOfOneVideo(IEnumerable<LabeledFrame> frames)
    {
        List<LabeledFrame>? run = null;
        foreach (var frame in frames)
        {
            if (run is not null && !ReferenceEquals(run[0].Video, frame.Video))
            {
                yield return run;
                run = null;
            }
            (run ??= []).Add(frame);
        }
        if (run is not null) yield return run;
    }

    /// <summary>One video's tracker; with a final pass, the video's tracked frames until it ends.</summary>
    private sealed class VideoTracker(FrameTracker tracker, bool holdsFrames)
    {
        public FrameTracker Tracker { get; } = tracker;

        public List<LabeledFrame>? Frames { get; } = holdsFrames ? [] : null;

        public bool Ended { get; private set; }

        public void End()
        {
            if (Ended) return;
            Ended = true;
            if (Frames is null) return;
            Tracker.FinalPass(Frames);
            Frames.Clear();
        }
    }

    private sealed record Pending(FramePrediction Prediction, LabeledFrame Frame, VideoTracker Tracker);
}
