using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.Identity;

/// <summary>
/// SLEAP's <c>classify_peaks_from_vectors</c> (docs/design/inference.md §12.3): the crops of each sample are matched to identity
/// classes by their class vectors (<see cref="ClassPeakGrouping"/> with one channel), keeping only matches to a crop's
/// most probable class, and their peaks are scattered into fixed (sample, class) slots.
/// </summary>
public static class ClassVectorClassifier
{
    /// <param name="peakPoints">(crops, N, 2) instance peaks of each crop, in whatever units the caller uses.</param>
    /// <param name="peakValues">(crops, N) peak values.</param>
    /// <param name="classProbabilities">(crops, K) class vectors (softmax outputs).</param>
    /// <param name="classCount">K.</param>
    /// <param name="cropSampleIndices">The sample (frame of the batch) of each crop.</param>
    /// <param name="sampleCount">Samples in the batch.</param>
    /// <param name="nodeCount">N.</param>
    public static ClassGroupedCrops Classify(ReadOnlySpan<float> peakPoints, ReadOnlySpan<float> peakValues, ReadOnlySpan<float> classProbabilities,
        int classCount, ReadOnlySpan<int> cropSampleIndices, int sampleCount, int nodeCount) =>
        Classify(peakPoints, peakValues, classProbabilities, cropSampleIndices, new ClassGroupedCrops(sampleCount, classCount, nodeCount), new Buffers());

    /// <summary>Scratch space of the classification, kept by a predictor from batch to batch.</summary>
    internal sealed class Buffers
    {
        public int[] Channels = [];
        public readonly ClassPeakGrouping.Buffers Grouping = new();
    }

    /// <summary>
    /// The same, into <paramref name="result"/> (made for the batch's samples, the classes and nodes; every slot is reset
    /// first) with the scratch space of <paramref name="buffers"/>, so that a predictor that keeps both allocates nothing
    /// here once warm.
    /// </summary>
    internal static ClassGroupedCrops Classify(ReadOnlySpan<float> peakPoints, ReadOnlySpan<float> peakValues, ReadOnlySpan<float> classProbabilities,
        ReadOnlySpan<int> cropSampleIndices, ClassGroupedCrops result, Buffers buffers)
    {
        int crops = cropSampleIndices.Length, classCount = result.ClassCount, nodeCount = result.NodeCount;
        if (peakPoints.Length != crops * nodeCount * 2 || peakValues.Length != crops * nodeCount || classProbabilities.Length != crops * classCount)
            throw new ArgumentException($"Expected ({crops}, {nodeCount}, 2) points, ({crops}, {nodeCount}) values and ({crops}, {classCount}) class probabilities.");
        // One channel: every crop competes with the other crops of its sample.
        var channels = Growable.Ensure(ref buffers.Channels, crops).AsSpan(0, crops);
        channels.Clear();
        ClassPeakGrouping.GroupClassPeaks(classProbabilities, classCount, cropSampleIndices, channels, result.SampleCount, 1, buffers.Grouping);
        var cropInds = buffers.Grouping.PeakIndices;
        var classInds = buffers.Grouping.ClassIndices;

        result.Reset();
        for (int m = 0; m < cropInds.Count; m++)
        {
            int crop = cropInds[m], cls = classInds[m];
            int slot = cropSampleIndices[crop] * classCount + cls;
            peakPoints.Slice(crop * nodeCount * 2, nodeCount * 2).CopyTo(result.Points.AsSpan(slot * nodeCount * 2));
            peakValues.Slice(crop * nodeCount, nodeCount).CopyTo(result.Values.AsSpan(slot * nodeCount));
            result.ClassProbabilities[slot] = classProbabilities[crop * classCount + cls];
            result.AssignedCrop[slot] = crop;
        }
        return result;
    }
}

/// <summary>
/// Crops grouped by identity class (SLEAP's <c>classify_peaks_from_vectors</c> outputs), float32, NaN-filled:
/// slot (sample s, class k) has points <c>Points[((s·K + k)·N + n)·2 ..]</c>, values <c>Values[(s·K + k)·N + n]</c>,
/// the matched class probability <c>ClassProbabilities[s·K + k]</c> (SLEAP's <c>instance_scores</c>), and the crop
/// it came from <c>AssignedCrop[s·K + k]</c> (−1 when none).
/// </summary>
public sealed class ClassGroupedCrops
{
    public ClassGroupedCrops(int sampleCount, int classCount, int nodeCount)
    {
        SampleCount = sampleCount;
        ClassCount = classCount;
        NodeCount = nodeCount;
        Points = new float[sampleCount * classCount * nodeCount * 2];
        Values = new float[sampleCount * classCount * nodeCount];
        ClassProbabilities = new float[sampleCount * classCount];
        AssignedCrop = new int[sampleCount * classCount];
        Reset();
    }

    /// <summary>Every slot back to empty (NaN, crop −1), for reuse on the next batch.</summary>
    internal void Reset()
    {
        Array.Fill(Points, float.NaN);
        Array.Fill(Values, float.NaN);
        Array.Fill(ClassProbabilities, float.NaN);
        Array.Fill(AssignedCrop, -1);
    }

    public int SampleCount { get; }

    public int ClassCount { get; }

    public int NodeCount { get; }

    /// <summary>(samples, classes, nodes, 2).</summary>
    public float[] Points { get; }

    /// <summary>(samples, classes, nodes).</summary>
    public float[] Values { get; }

    /// <summary>(samples, classes).</summary>
    public float[] ClassProbabilities { get; }

    /// <summary>(samples, classes): the crop index matched to each class, −1 when none.</summary>
    public int[] AssignedCrop { get; }
}
