using OpenCvSharp;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Tracking;

/// <summary>One instance the tracker gave a track, and the similarity of its match (null when it spawned a track).</summary>
internal readonly record struct TrackedPose(Pose Pose, double? Score);

/// <summary>
/// SLEAP's <c>Tracker</c> (candidates, similarity matrix, matching, spawning) for one stream of
/// frames. Settings must already be valid (see <see cref="TrackerSettings"/>).
/// </summary>
internal sealed class InstanceTracker : IDisposable
{
    private sealed record QueuedFrame(long T, List<Pose> Instances, Mat? Image);
    private sealed record QueuedInstance(long T, Pose Instance, Mat? Image);
    private sealed record ShiftedFrame(List<Pose> Instances, Mat Image);

    private readonly TrackerSettings _settings;
    private readonly Similarity _similarity;
    private readonly OpticalFlow? _flow;
    private readonly FlowImages _images = new();

    // Normal mode: the last track_window processed frames (empty frames too).
    private readonly Queue<QueuedFrame> _frames = new();
    // Max-tracks mode: per track (in creation order) its last track_window instances.
    private readonly List<Track> _trackOrder = new();
    private readonly Dictionary<Track, Queue<QueuedInstance>> _byTrack = new();
    // save_shifted_instances: flow results keyed by (reference t, t).
    private readonly Dictionary<(long RefT, long T), ShiftedFrame> _shifted = new();

    public InstanceTracker(TrackerSettings settings, Similarity similarity)
    {
        _settings = settings;
        _similarity = similarity;
        if (settings.UsesImage)
            _flow = new OpticalFlow(settings.ImgScale, settings.OfWindowSize, settings.OfMaxLevels, settings.MinMatchPoints);
    }

    public List<Track> SpawnedTracks { get; } = new();

    /// <summary>Whether every match of the last frame paired the instance with its own best track.</summary>
    public bool LastMatchesAllFirstChoice { get; private set; } = true;

    private bool MaxTracksMode => _settings.IsMaxTracksMode;

    /// <summary>Turns a frame into the image the flow works on, owned by this tracker.</summary>
    public Mat? PrepareImage(FrameImage? image) =>
        _flow is null || image is null ? null : _images.Add(_flow.Prepare(image));

    /// <summary>
    /// Tracks one frame. <paramref name="untracked"/> may lose instances (pre-cull); the result lists
    /// matched instances in match order, then those that spawned a track; instances that got no
    /// track (min_new_track_points, max tracks) are not in it.
    /// </summary>
    public List<TrackedPose> Track(List<Pose> untracked, Mat? image, long? frameT)
    {
        long t = frameT ?? InferT();
        var tracked = new List<TrackedPose>();
        LastMatchesAllFirstChoice = true;
        if (untracked.Count > 0)
        {
            if (_settings.PreCullToTarget && _settings.TargetInstanceCount > 0)
                Culling.CullPoses(untracked, _settings.TargetInstanceCount, _settings.PreCullIouThreshold);
            var candidates = MaxTracksMode ? MaxTracksCandidates(t, image) : WindowCandidates(t, image);
            var matched = new bool[untracked.Count];
            if (untracked.Count > 0 && candidates.Count > 0)
            {
                var (tracks, cost) = CostOf(untracked, candidates);
                foreach (var (row, column) in Matching.Match(_settings.Match, cost))
                {
                    matched[row] = true;
                    var pose = untracked[row];
                    pose.Track = tracks[column];
                    tracked.Add(new TrackedPose(pose, -cost[row, column]));
                    if (cost.ArgminOfRow(row) != column) LastMatchesAllFirstChoice = false;
                }
            }
            for (int i = 0; i < untracked.Count; i++)
            {
                if (matched[i]) continue;
                var pose = untracked[i];
                if (pose.PresentCount < _settings.MinNewTrackPoints) continue;
                if (MaxTracksMode && _settings.MaxTracking && _byTrack.Count >= _settings.MaxTracks) break;
                var track = new Track($"track_{SpawnedTracks.Count}", checked((int)t));
                SpawnedTracks.Add(track);
                pose.Track = track;
                tracked.Add(new TrackedPose(pose, null));
            }
        }
        Store(t, tracked, image);
        return tracked;
    }

    /// <summary>Forgets every candidate (Kalman re-initialisation).</summary>
    public void ResetCandidates()
    {
        _frames.Clear();
        foreach (var track in _trackOrder) _byTrack[track].Clear();
        ReleaseUnusedImages();
    }

    public void Dispose() => _images.Dispose();

    private long InferT()
    {
        if (!MaxTracksMode) return _frames.Count > 0 ? _frames.Last().T + 1 : 0;
        // SLEAP: one past the last frame of the track holding the most instances (the first such track).
        Queue<QueuedInstance>? longest = null;
        foreach (var track in _trackOrder)
            if (longest is null || _byTrack[track].Count > longest.Count) longest = _byTrack[track];
        return longest is { Count: > 0 } ? longest.Last().T + 1 : 0;
    }

    private void Store(long t, List<TrackedPose> tracked, Mat? image)
    {
        if (MaxTracksMode)
        {
            foreach (var (pose, _) in tracked)
            {
                var track = pose.Track!;
                if (!_byTrack.TryGetValue(track, out var queue))
                {
                    if (_settings.MaxTracking && _byTrack.Count >= _settings.MaxTracks) continue;
                    queue = new Queue<QueuedInstance>();
                    _byTrack[track] = queue;
                    _trackOrder.Add(track);
                }
                queue.Enqueue(new QueuedInstance(t, pose, image));
                if (queue.Count > _settings.TrackWindow) queue.Dequeue();
            }
        }
        else
        {
            _frames.Enqueue(new QueuedFrame(t, tracked.Select(p => p.Pose).ToList(), image));
            if (_frames.Count > _settings.TrackWindow) _frames.Dequeue();
        }
        ReleaseUnusedImages();
    }

    private void ReleaseUnusedImages()
    {
        if (_flow is null) return;
        _images.ReleaseAllBut(_frames.Select(f => f.Image)
            .Concat(_byTrack.Values.SelectMany(q => q.Select(i => i.Image)))
            .Concat(_shifted.Values.Select(s => s.Image)));
    }

    /// <summary>Candidates of the normal mode: the window's instances, moved by flow for flow trackers.</summary>
    private List<Pose> WindowCandidates(long t, Mat? image)
    {
        var candidates = new List<Pose>();
        if (_flow is null)
        {
            foreach (var frame in _frames)
                foreach (var pose in frame.Instances)
                    if (pose.PresentCount >= _settings.MinMatchPoints) candidates.Add(pose);
            return candidates;
        }
        PruneShifted(t);
        foreach (var frame in _frames)
        {
            var (referenceImage, references) = LatestShifted(frame.T, frame.Image!, frame.Instances, t);
            if (references.Count > 0) candidates.AddRange(ShiftAndSave(references, referenceImage, frame.T, image!, t));
        }
        return candidates;
    }

    /// <summary>Candidates of the max-tracks mode: the first max_tracks tracks' stored instances (flow: moved).</summary>
    private List<Pose> MaxTracksCandidates(long t, Mat? image)
    {
        var candidates = new List<Pose>();
        var tracks = _settings.MaxTracking ? _trackOrder.Take(_settings.MaxTracks) : _trackOrder;
        if (_flow is null)
        {
            foreach (var track in tracks)
                foreach (var item in _byTrack[track])
                    if (item.Instance.PresentCount >= _settings.MinMatchPoints) candidates.Add(item.Instance);
            return candidates;
        }
        PruneShifted(t);
        // SLEAP shifts, for every stored item, all instances stored at the item's frame; the result
        // only depends on that frame, so it is computed once and repeated.
        var shiftedByFrame = new Dictionary<(long, Mat?), List<Pose>>();
        foreach (var track in tracks)
        {
            foreach (var item in _byTrack[track])
            {
                if (!shiftedByFrame.TryGetValue((item.T, item.Image), out var shifted))
                {
                    var references = _trackOrder.SelectMany(k => _byTrack[k])
                        .Where(other => other.T == item.T && ReferenceEquals(other.Image, item.Image))
                        .Select(other => other.Instance).ToList();
                    var (referenceImage, latest) = LatestShifted(item.T, item.Image!, references, t);
                    shifted = latest.Count > 0 ? ShiftAndSave(latest, referenceImage, item.T, image!, t) : [];
                    shiftedByFrame[(item.T, item.Image)] = shifted;
                }
                candidates.AddRange(shifted);
            }
        }
        return candidates;
    }

    private List<Pose> ShiftAndSave(List<Pose> references, Mat referenceImage, long referenceT, Mat image, long t)
    {
        var shifted = _flow!.Shift(references, referenceImage, image);
        if (_settings.SaveShiftedInstances) _shifted[(referenceT, t)] = new ShiftedFrame(shifted, image);
        return shifted;
    }

    /// <summary>With save_shifted_instances: the latest stored flow result from the reference frame replaces it.</summary>
    private (Mat Image, List<Pose> Instances) LatestShifted(long referenceT, Mat referenceImage, List<Pose> references, long t)
    {
        if (!_settings.SaveShiftedInstances) return (referenceImage, references);
        for (long ti = t - 1; ti >= referenceT; ti--)
            if (_shifted.TryGetValue((referenceT, ti), out var saved) && saved.Instances.Count > 0)
                return (saved.Image, saved.Instances);
        return (referenceImage, references);
    }

    private void PruneShifted(long t)
    {
        if (!_settings.SaveShiftedInstances) return;
        foreach (var key in _shifted.Keys.Where(k => t - k.RefT > _settings.TrackWindow).ToList())
            _shifted.Remove(key);
    }

    /// <summary>The cost matrix −S (NaN → +∞) between untracked instances and candidate tracks, in first-seen track order.</summary>
    private (List<Track> Tracks, CostMatrix Cost) CostOf(List<Pose> untracked, List<Pose> candidates)
    {
        var tracks = new List<Track>();
        var byTrack = new Dictionary<Track, List<Pose>>();
        foreach (var candidate in candidates)
        {
            var track = candidate.Track!;
            if (!byTrack.TryGetValue(track, out var list))
            {
                byTrack[track] = list = new List<Pose>();
                tracks.Add(track);
            }
            list.Add(candidate);
        }
        var cells = new double[untracked.Count * tracks.Count];
        var similarities = new double[candidates.Count];
        for (int i = 0; i < untracked.Count; i++)
        {
            for (int j = 0; j < tracks.Count; j++)
            {
                var members = byTrack[tracks[j]];
                for (int k = 0; k < members.Count; k++) similarities[k] = _similarity.Of(untracked[i], members[k]);
                double best = Reduce(similarities.AsSpan(0, members.Count));
                double cost = -best;
                cells[i * tracks.Count + j] = double.IsNaN(cost) ? double.PositiveInfinity : cost;
            }
        }
        return (tracks, new CostMatrix(cells, untracked.Count, tracks.Count));
    }

    /// <summary>numpy's max (NaN wins) or, for 0 &lt; robust &lt; 1, numpy's linear quantile.</summary>
    private double Reduce(Span<double> values)
    {
        foreach (double v in values)
            if (double.IsNaN(v)) return double.NaN;
        double robust = _settings.Robust;
        if (!(robust > 0 && robust < 1))
        {
            double max = double.NegativeInfinity;
            foreach (double v in values) max = Math.Max(max, v);
            return max;
        }
        values.Sort();
        double position = robust * (values.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, values.Length - 1);
        double fraction = position - below;
        double a = values[below], b = values[above];
        return fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction;
    }
}
