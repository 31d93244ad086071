using SleapPS.Engine.Data;

namespace SleapPS.Engine.Tracking;

/// <summary>
/// SLEAP's <c>BareKalmanTracker</c>: one <see cref="KalmanFilter"/> per track, fitted on tracked
/// frames, then matching each frame's instances to the tracks' predicted positions.
/// </summary>
internal sealed class KalmanFilterTracker
{
    /// <summary>Instances scoring below this are not matched (SLEAP's <c>instance_score_thresh</c>).</summary>
    private const double InstanceScoreThreshold = 0.3;

    /// <summary>Frames without a match after which a track counts as lost (SLEAP's <c>reset_gap_size</c>).</summary>
    private const int ResetGapSize = 5;

    private readonly int[] _nodes;
    // Columns of the cost matrix, in the order the tracks first appeared in the initialisation frames.
    private readonly List<Track> _tracks = new();
    private readonly Dictionary<Track, KalmanFilter> _filters = new();
    // The filtered state after each track's last match (not advanced on frames it missed, as in SLEAP).
    private readonly Dictionary<Track, KalmanState> _last = new();
    private readonly Dictionary<Track, long> _lastMatchedFrame = new();

    private KalmanFilterTracker(int[] nodes) => _nodes = nodes;

    /// <summary>Tracks made to replace lost ones, in the order they were made.</summary>
    public List<Track> ReplacementTracks { get; } = new();

    /// <summary>The last frame on which any track was matched (0 when none was since the filters were fitted).</summary>
    public long LastFrameWithTracks => _lastMatchedFrame.Count > 0 ? _lastMatchedFrame.Values.Max() : 0;

    /// <summary>
    /// SLEAP's <c>init_filters</c>: groups the instances by track (first-seen order); each track's
    /// followed-node coordinates, in the order given, are the observations its filter is fitted on.
    /// </summary>
    public static KalmanFilterTracker Fit(IEnumerable<Pose> instances, int[] nodes)
    {
        var tracker = new KalmanFilterTracker(nodes);
        var observations = new Dictionary<Track, List<double[]>>();
        foreach (var pose in instances)
        {
            var track = pose.Track!;
            if (!observations.TryGetValue(track, out var list))
            {
                observations[track] = list = new List<double[]>();
                tracker._tracks.Add(track);
            }
            list.Add(Coordinates(pose, nodes));
        }
        foreach (var track in tracker._tracks)
        {
            var (filter, last) = KalmanFilter.Fit(observations[track]);
            tracker._filters[track] = filter;
            tracker._last[track] = last;
        }
        return tracker;
    }

    /// <summary>The followed nodes' coordinates [x, y, x, y, …], NaN for absent nodes.</summary>
    public static double[] Coordinates(Pose pose, int[] nodes)
    {
        var coordinates = new double[2 * nodes.Length];
        for (int k = 0; k < nodes.Length; k++)
        {
            coordinates[2 * k] = pose.Xs[nodes[k]];
            coordinates[2 * k + 1] = pose.Ys[nodes[k]];
        }
        return coordinates;
    }

    /// <summary>
    /// SLEAP's <c>track_frame</c>: sets the track of each instance matched to a filter's prediction;
    /// the others keep no track (no track is created here). Lost tracks are replaced by new tracks
    /// of the same name when more than one is lost.
    /// </summary>
    public void TrackFrame(List<Pose> poses, long frameIndex)
    {
        var predicted = new Dictionary<Track, double[]>();
        foreach (var track in _tracks)
            predicted[track] = KalmanFilter.PositionsOf(_filters[track].FilterUpdate(_last[track], null).Mean);

        var coordinates = poses.Select(p => Coordinates(p, _nodes)).ToList();
        var cost = CostOf(poses, coordinates, predicted);
        // SLEAP returns right away when nothing can be compared (an empty frame too): no match, no gap check.
        if (cost.Cells.All(double.IsNaN)) return;

        double threshold = cost.Cells.Where(c => !double.IsNaN(c)).Min();
        var clear = KalmanMatching.RemoveUnclearMatches(cost, threshold);
        var matches = KalmanMatching.Match(clear, (a, b) => MeanDistance(coordinates[a], coordinates[b]) < threshold);

        foreach (var (row, column) in matches)
        {
            var track = _tracks[column];
            _last[track] = _filters[track].FilterUpdate(_last[track], coordinates[row]);
        }
        foreach (var (row, column) in matches)
        {
            var track = _tracks[column];
            poses[row].Track = track;
            _lastMatchedFrame[track] = frameIndex;
            // A replacement track learns its spawn frame at its first match.
            if (track.SpawnedOn < 0) track.SpawnedOn = checked((int)frameIndex);
        }

        var lost = _lastMatchedFrame.Where(e => frameIndex - e.Value > ResetGapSize).Select(e => e.Key).ToList();
        if (lost.Count > 1)
        {
            foreach (var track in lost)
            {
                Replace(track);
                _lastMatchedFrame.Remove(track);
            }
        }
    }

    /// <summary>
    /// Rows: instances; columns: tracks. The score-weighted mean absolute difference between the
    /// instance's coordinates and the predicted positions, over the instance's present coordinates;
    /// NaN for instances scoring below 0.3 and for instances without any followed node.
    /// </summary>
    private CostMatrix CostOf(List<Pose> poses, List<double[]> coordinates, Dictionary<Track, double[]> predicted)
    {
        var cells = new double[poses.Count * _tracks.Count];
        Array.Fill(cells, double.NaN);
        for (int i = 0; i < poses.Count; i++)
        {
            if (poses[i].Instance is PredictedInstance { Score: < InstanceScoreThreshold }) continue;
            var weights = Weights(poses[i]);
            for (int j = 0; j < _tracks.Count; j++)
                cells[i * _tracks.Count + j] = WeightedMeanDistance(coordinates[i], weights, predicted[_tracks[j]]);
        }
        return new CostMatrix(cells, poses.Count, _tracks.Count);
    }

    /// <summary>Point scores of the followed nodes, one per coordinate; 1 for instances without scores.</summary>
    private double[] Weights(Pose pose)
    {
        var weights = new double[2 * _nodes.Length];
        for (int k = 0; k < _nodes.Length; k++)
            weights[2 * k] = weights[2 * k + 1] = pose.Scores?[_nodes[k]] ?? 1.0;
        return weights;
    }

    private static double WeightedMeanDistance(double[] points, double[] weights, double[] expected)
    {
        double weighted = 0, total = 0;
        for (int c = 0; c < points.Length; c++)
        {
            double distance = Math.Abs(expected[c] - points[c]);
            if (double.IsNaN(distance)) continue;
            weighted += weights[c] * distance;
            total += weights[c];
        }
        return weighted / total;
    }

    /// <summary>numpy's nanmean of the absolute coordinate differences; NaN when no coordinate is in both.</summary>
    private static double MeanDistance(double[] a, double[] b)
    {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < a.Length; c++)
        {
            double distance = Math.Abs(a[c] - b[c]);
            if (double.IsNaN(distance)) continue;
            sum += distance;
            count++;
        }
        return count > 0 ? sum / count : double.NaN;
    }

    /// <summary>SLEAP's <c>replace_track</c>: the filter now follows a new track of the same name, spawn frame unknown (-1).</summary>
    private void Replace(Track old)
    {
        var replacement = new Track(old.Name, -1);
        ReplacementTracks.Add(replacement);
        _tracks[_tracks.IndexOf(old)] = replacement;
        _filters[replacement] = _filters[old];
        _filters.Remove(old);
        _last[replacement] = _last[old];
        _last.Remove(old);
    }
}
