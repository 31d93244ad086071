using SleapPS.Engine.Data;
using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Filtering;

/// <summary>
/// sleap-nn's post-inference instance filters (docs/design/labels-operations.md §7), run on each frame before tracking, in
/// sleap-nn's fixed order: too few visible nodes, then too low an instance score, then greedy overlap suppression
/// (IoU of boxes or OKS). Only predicted instances are judged; user instances always stay. Not thread-safe: it reuses
/// its buffers from frame to frame, so one frame's filtering allocates nothing once the buffers have grown.
/// </summary>
public sealed class InstanceFilter
{
    /// <summary>sleap-nn's per-node falloff constant of its OKS (one value for every node).</summary>
    private const double OksKappa = 0.1;

    private int[] _order = new int[8];
    private double[] _scores = new double[8];
    private double[] _boxes = new double[32];
    private bool[] _kept = new bool[8];

    /// <exception cref="SleapException">InvalidArgument for a setting out of range (the same checks as <see cref="InferenceSettings"/>).</exception>
    public InstanceFilter(int minVisibleNodes = 0, double minInstanceScore = 0, OverlapMethod overlapMethod = OverlapMethod.None, double overlapThreshold = 0.8)
    {
        var settings = new InferenceSettings
        {
            MinVisibleNodes = minVisibleNodes,
            MinInstanceScore = minInstanceScore,
            OverlapMethod = overlapMethod,
            OverlapThreshold = overlapThreshold,
        };
        MinVisibleNodes = settings.MinVisibleNodes;
        MinInstanceScore = settings.MinInstanceScore;
        OverlapMethod = settings.OverlapMethod;
        OverlapThreshold = settings.OverlapThreshold;
    }

    /// <summary>The filter the settings ask for, or null when they ask for none.</summary>
    public static InstanceFilter? From(InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var filter = new InstanceFilter(settings.MinVisibleNodes, settings.MinInstanceScore, settings.OverlapMethod, settings.OverlapThreshold);
        return filter.IsActive ? filter : null;
    }

    public int MinVisibleNodes { get; }
    public double MinInstanceScore { get; }
    public OverlapMethod OverlapMethod { get; }
    public double OverlapThreshold { get; }

    /// <summary>Whether any rule is on (sleap-nn: a threshold of 0 turns its rule off).</summary>
    public bool IsActive => MinVisibleNodes > 0 || MinInstanceScore > 0 || OverlapMethod != OverlapMethod.None;

    /// <summary>What the filter has removed so far.</summary>
    public InstanceFilterCounts Counts { get; } = new();

    /// <summary>Removes, in place, the predicted instances of one frame that the rules reject; returns how many went.</summary>
    public int Apply<T>(List<T> instances) where T : Instance
    {
        ArgumentNullException.ThrowIfNull(instances);
        int before = instances.Count, write = 0;
        for (int i = 0; i < before; i++)
        {
            var instance = instances[i];
            if (instance is PredictedInstance predicted)
            {
                Counts.Judged++;
                if (MinVisibleNodes > 0 && VisibleNodes(predicted) < MinVisibleNodes)
                {
                    Counts.RemovedForFewNodes++;
                    continue;
                }
                // A NaN score fails the rule, as in sleap-nn's inference filter.
                if (MinInstanceScore > 0 && !(predicted.Score >= MinInstanceScore))
                {
                    Counts.RemovedForLowScore++;
                    continue;
                }
            }
            instances[write++] = instance;
        }
        instances.RemoveRange(write, before - write);
        if (OverlapMethod != OverlapMethod.None)
            Counts.RemovedForOverlap += SuppressOverlaps(instances);
        return before - instances.Count;
    }

    /// <summary>Nodes with coordinates that are visible (sleap-nn counts non-NaN keypoints; SLEAP writes invisible ones as NaN).</summary>
    public static int VisibleNodes(Instance instance)
    {
        int count = 0;
        foreach (var point in instance.Points)
            if (point.IsPresent) count++;
        return count;
    }

    /// <summary>
    /// Greedy suppression: predicted instances with a visible node, best score first (ties keep frame order, a NaN score
    /// counts as the lowest), each dropped when its overlap with one already kept is above the threshold.
    /// </summary>
    private int SuppressOverlaps<T>(List<T> instances) where T : Instance
    {
        int n = instances.Count;
        Grow(n);
        int candidates = 0;
        for (int i = 0; i < n; i++)
        {
            _kept[i] = true;
            if (!instances[i].IsPredicted || VisibleNodes(instances[i]) == 0) continue;
            _order[candidates++] = i;
            double score = ((PredictedInstance)(Instance)instances[i]).Score;
            _scores[i] = double.IsNaN(score) ? double.NegativeInfinity : score;
            Box(instances[i], _boxes.AsSpan(4 * i, 4));
        }
        if (candidates <= 1) return 0;
        // Insertion sort by descending score is stable and allocates nothing; frames hold a handful of instances.
        for (int a = 1; a < candidates; a++)
        {
            int item = _order[a], b = a - 1;
            while (b >= 0 && _scores[_order[b]] < _scores[item]) { _order[b + 1] = _order[b]; b--; }
            _order[b + 1] = item;
        }
        bool oks = OverlapMethod == OverlapMethod.Oks && instances[_order[0]].Points.Length >= 2;
        int removed = 0;
        for (int a = 1; a < candidates; a++)
        {
            int candidate = _order[a];
            for (int b = 0; b < a; b++)
            {
                int kept = _order[b];
                if (!_kept[kept]) continue;
                double overlap = oks
                    ? Oks(instances[candidate].Points, instances[kept].Points, _boxes.AsSpan(4 * candidate, 4))
                    : Iou(_boxes.AsSpan(4 * candidate, 4), _boxes.AsSpan(4 * kept, 4));
                if (overlap > OverlapThreshold)
                {
                    _kept[candidate] = false;
                    removed++;
                    break;
                }
            }
        }
        if (removed == 0) return 0;
        int write = 0;
        for (int i = 0; i < n; i++)
            if (_kept[i]) instances[write++] = instances[i];
        instances.RemoveRange(write, n - write);
        return removed;
    }

    /// <summary>The box (x min, y min, x max, y max) around an instance's visible nodes.</summary>
    private static void Box(Instance instance, Span<double> box)
    {
        box[0] = box[1] = double.PositiveInfinity;
        box[2] = box[3] = double.NegativeInfinity;
        foreach (var point in instance.Points)
        {
            if (!point.IsPresent) continue;
            box[0] = Math.Min(box[0], point.X);
            box[1] = Math.Min(box[1], point.Y);
            box[2] = Math.Max(box[2], point.X);
            box[3] = Math.Max(box[3], point.Y);
        }
    }

    /// <summary>Intersection over union of two boxes; 0 when the union has no area (single points).</summary>
    public static double Iou(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double width = Math.Max(0, Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]));
        double height = Math.Max(0, Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]));
        double intersection = width * height;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - intersection;
        return union > 0 ? intersection / union : 0;
    }

    /// <summary>
    /// sleap-nn's OKS of a candidate against a kept instance: the mean, over nodes visible in both, of
    /// exp(-d² / (2 s κ²)) with κ = 0.1 and s the area of the candidate's own box; 0 when no node is visible in both, when
    /// the candidate has fewer than two visible nodes, or when its box has no area.
    /// </summary>
    public static double Oks(ReadOnlySpan<Point> candidate, ReadOnlySpan<Point> kept, ReadOnlySpan<double> candidateBox)
    {
        int visible = 0;
        foreach (var point in candidate) if (point.IsPresent) visible++;
        if (visible < 2) return 0;
        double scale = (candidateBox[2] - candidateBox[0]) * (candidateBox[3] - candidateBox[1]);
        if (!(scale > 0)) return 0;
        double sum = 0;
        int both = 0;
        for (int n = 0; n < candidate.Length && n < kept.Length; n++)
        {
            if (!candidate[n].IsPresent || !kept[n].IsPresent) continue;
            double dx = candidate[n].X - kept[n].X, dy = candidate[n].Y - kept[n].Y;
            sum += Math.Exp(-(dx * dx + dy * dy) / (2 * scale * OksKappa * OksKappa));
            both++;
        }
        return both == 0 ? 0 : sum / both;
    }

    private void Grow(int n)
    {
        if (_order.Length >= n) return;
        int size = Math.Max(n, 2 * _order.Length);
        _order = new int[size];
        _scores = new double[size];
        _kept = new bool[size];
        _boxes = new double[4 * size];
    }
}
