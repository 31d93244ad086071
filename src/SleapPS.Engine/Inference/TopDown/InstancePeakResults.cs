using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// Per crop (one per centroid, same order): the node peaks in frame coordinates (x, y interleaved, NaN when not found),
/// the confidence-map values at the grid peaks, and for multi-class models the class probabilities. float32, reused.
/// </summary>
internal sealed class InstancePeakResults
{
    private float[] _points = [];
    private float[] _values = [];
    private float[] _classProbabilities = [];

    public int Count { get; private set; }

    public int NodeCount { get; private set; }

    public int ClassCount { get; private set; }

    public void Reset(int count, int nodeCount, int classCount)
    {
        Count = count;
        NodeCount = nodeCount;
        ClassCount = classCount;
        Growable.Ensure(ref _points, count * nodeCount * 2);
        Growable.Ensure(ref _values, count * nodeCount);
        Growable.Ensure(ref _classProbabilities, count * classCount);
    }

    /// <summary>(crops, N, 2) of every crop.</summary>
    public ReadOnlySpan<float> AllPoints => _points.AsSpan(0, Count * NodeCount * 2);

    /// <summary>(crops, N) of every crop.</summary>
    public ReadOnlySpan<float> AllValues => _values.AsSpan(0, Count * NodeCount);

    /// <summary>(crops, K) of every crop.</summary>
    public ReadOnlySpan<float> AllClassProbabilities => _classProbabilities.AsSpan(0, Count * ClassCount);

    /// <summary>x0, y0, x1, y1, ... of crop <paramref name="index"/>.</summary>
    public Span<float> Points(int index) => _points.AsSpan(index * NodeCount * 2, NodeCount * 2);

    public Span<float> Values(int index) => _values.AsSpan(index * NodeCount, NodeCount);

    public Span<float> ClassProbabilities(int index) => _classProbabilities.AsSpan(index * ClassCount, ClassCount);
}
