namespace SleapPS.Engine.Data;

/// <summary>
/// A user-labelled animal: one <see cref="Point"/> per skeleton node, in skeleton node order.
/// </summary>
public class Instance
{
    public Instance(Skeleton skeleton, Point[]? points = null, Track? track = null)
    {
        Skeleton = skeleton;
        Points = points ?? Enumerable.Repeat(Point.Missing, skeleton.Nodes.Count).ToArray();
        if (Points.Length != skeleton.Nodes.Count)
            throw new ArgumentException(
                $"An instance of skeleton '{skeleton.Name}' needs {skeleton.Nodes.Count} points, one per node, but got {Points.Length}.",
                nameof(points));
        Track = track;
    }

    public Skeleton Skeleton { get; }

    /// <summary>One point per node, in skeleton node order.</summary>
    public Point[] Points { get; }

    public Track? Track { get; set; }

    /// <summary>The prediction this user instance was corrected from, if any.</summary>
    public PredictedInstance? FromPredicted { get; set; }

    public virtual bool IsPredicted => false;

    public Point this[string nodeName] => Points[IndexOfNode(nodeName)];

    /// <summary>Number of nodes with coordinates that are visible.</summary>
    public int PresentPointCount => Points.Count(p => p.IsPresent);

    private int IndexOfNode(string nodeName)
    {
        int index = Skeleton.IndexOf(nodeName);
        return index >= 0 ? index : throw new KeyNotFoundException($"Skeleton '{Skeleton.Name}' has no node named '{nodeName}'. Its nodes are: {string.Join(", ", Skeleton.NodeNames)}.");
    }

    public override string ToString() => $"Instance ({PresentPointCount}/{Points.Length} points{(Track is null ? "" : ", track " + Track.Name)})";
}

/// <summary>An instance found by a model, with an instance score and per-point scores.</summary>
public sealed class PredictedInstance : Instance
{
    public PredictedInstance(Skeleton skeleton, Point[]? points = null, double score = 0.0, Track? track = null, double trackingScore = 0.0)
        : base(skeleton, points ?? Enumerable.Repeat(Point.MissingPredicted, skeleton.Nodes.Count).ToArray(), track)
    {
        Score = score;
        TrackingScore = trackingScore;
    }

    public override bool IsPredicted => true;

    /// <summary>The model's confidence in the whole instance.</summary>
    public double Score { get; set; }

    /// <summary>How well the tracker matched this instance to its track (0 when untracked).</summary>
    public double TrackingScore { get; set; }

    public override string ToString() => $"PredictedInstance (score {Score:0.###}, {PresentPointCount}/{Points.Length} points{(Track is null ? "" : ", track " + Track.Name)})";
}
