namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// One frame's instances as SLEAP's <c>make_predicted_instances</c> builds them (docs/design/inference.md §10.7), float32:
/// instance m, node k has point (x, y) = <c>Points[(m·N + k)·2 ..]</c> and peak value <c>Values[m·N + k]</c>
/// (NaN when the node is missing), and instance score <c>Scores[m]</c>. Owned by the <see cref="PafGrouper"/> that
/// filled it and overwritten by its next frame: copy what you keep.
/// </summary>
public sealed class GroupedInstances
{
    private float[] _points = [];
    private float[] _values = [];
    private float[] _scores = [];

    internal GroupedInstances(int nodeCount) => NodeCount = nodeCount;

    public int NodeCount { get; }

    /// <summary>Instances in this frame.</summary>
    public int Count { get; private set; }

    /// <summary>(Count, N, 2) points, row-major.</summary>
    public Span<float> Points => _points.AsSpan(0, Count * NodeCount * 2);

    /// <summary>(Count, N) peak values, row-major.</summary>
    public Span<float> Values => _values.AsSpan(0, Count * NodeCount);

    /// <summary>(Count) instance scores: the sum of the line scores of the instance's connections.</summary>
    public Span<float> Scores => _scores.AsSpan(0, Count);

    public float X(int instance, int node) => _points[(instance * NodeCount + node) * 2];

    public float Y(int instance, int node) => _points[(instance * NodeCount + node) * 2 + 1];

    public float Value(int instance, int node) => _values[instance * NodeCount + node];

    /// <summary>Sizes the arrays for <paramref name="count"/> instances: points and values NaN, scores 0.</summary>
    internal void Reset(int count)
    {
        Count = count;
        int points = count * NodeCount * 2;
        if (_points.Length < points)
        {
            _points = new float[points * 2];
            _values = new float[count * NodeCount * 2];
            _scores = new float[count * 2];
        }
        Points.Fill(float.NaN);
        Values.Fill(float.NaN);
        Scores.Clear();
    }
}
