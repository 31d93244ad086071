using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.Identity;

/// <summary>
/// SLEAP's <c>classify_peaks_from_maps</c> (docs/design/inference.md §11.3 – §11.5): each local peak reads its class
/// probabilities from the class maps, peaks are grouped into classes by <see cref="ClassPeakGrouping"/>, and the
/// result is scattered into fixed (sample, class, node) arrays.
/// </summary>
public static class ClassMapClassifier
{
    /// <summary>
    /// The class probabilities of each peak: the class maps at row <c>round(y)</c>, column <c>round(x)</c> (half to
    /// even, nearest neighbour) of the peak's sample. SLEAP does not guard indices outside the map (a peak refined past
    /// the edge): TensorFlow's gather_nd fails on the CPU and reads zeros on a GPU. Here they read zeros, as on a GPU:
    /// that is what SLEAP's reference run did (tracks/clip.predictions.slp frame 1099, whose male thorax peak refines
    /// to y = −100 and so matches no class).
    /// </summary>
    /// <param name="classMaps">(samples, H, W, classes) class maps.</param>
    /// <param name="peakX">Peak x in class-map grid units.</param>
    /// <param name="peakY">Peak y in class-map grid units.</param>
    /// <returns>(peaks, classes) row-major.</returns>
    public static float[] SampleClassProbabilities(MapView classMaps, ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<int> sampleIndices)
    {
        var probabilities = new float[sampleIndices.Length * classMaps.Channels];
        SampleClassProbabilities(classMaps, peakX, peakY, sampleIndices, probabilities, clampOutside: false);
        return probabilities;
    }

    /// <summary>
    /// The same, into <paramref name="probabilities"/> (peaks x classes long). With <paramref name="clampOutside"/> a
    /// peak outside the map reads the nearest edge cell instead, as sleap-nn does (docs/design/sleap-nn-inference.md §9).
    /// </summary>
    private static void SampleClassProbabilities(MapView classMaps, ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<int> sampleIndices,
        Span<float> probabilities, bool clampOutside)
    {
        int peaks = sampleIndices.Length, classes = classMaps.Channels;
        probabilities.Clear();
        for (int i = 0; i < peaks; i++)
        {
            int row = (int)MathF.Round(peakY[i], MidpointRounding.ToEven);
            int col = (int)MathF.Round(peakX[i], MidpointRounding.ToEven);
            if (clampOutside)
            {
                row = Math.Clamp(row, 0, classMaps.Height - 1);
                col = Math.Clamp(col, 0, classMaps.Width - 1);
            }
            if (row < 0 || col < 0 || row >= classMaps.Height || col >= classMaps.Width)
                continue; // outside the map: all classes 0
            int at = classMaps.IndexOf(sampleIndices[i], row, col, 0);
            classMaps.Data.AsSpan(at, classes).CopyTo(probabilities.Slice(i * classes, classes));
        }
    }

    /// <summary>
    /// Samples the class maps at the peaks, groups the peaks into classes and scatters them: the result has one slot
    /// per (sample, class, node), NaN where no peak was kept. Points keep the units of <paramref name="peakX"/> /
    /// <paramref name="peakY"/> (class-map grid units; the caller scales them).
    /// </summary>
    public static ClassGroupedPeaks Classify(MapView classMaps, ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<float> peakValues,
        ReadOnlySpan<int> sampleIndices, ReadOnlySpan<int> channelIndices, int channelCount) =>
        Classify(classMaps, peakX, peakY, peakValues, sampleIndices, channelIndices, new ClassGroupedPeaks(classMaps.Batch, classMaps.Channels, channelCount), new Buffers());

    /// <summary>Scratch space of <see cref="Classify(MapView, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{int}, int, ClassGroupedPeaks, Buffers)"/>, reused from frame to frame.</summary>
    internal sealed class Buffers
    {
        public float[] Probabilities = [];
        public readonly ClassPeakGrouping.Buffers Grouping = new();
    }

    /// <summary>
    /// The same, into <paramref name="result"/> (made for this many samples, classes and channels; every slot is reset
    /// to NaN first) with the scratch space of <paramref name="buffers"/>: a predictor keeps both, so that classifying
    /// a frame allocates nothing once warm.
    /// </summary>
    internal static ClassGroupedPeaks Classify(MapView classMaps, ReadOnlySpan<float> peakX, ReadOnlySpan<float> peakY, ReadOnlySpan<float> peakValues,
        ReadOnlySpan<int> sampleIndices, ReadOnlySpan<int> channelIndices, ClassGroupedPeaks result, Buffers buffers, bool clampOutside = false)
    {
        int classes = classMaps.Channels, samples = classMaps.Batch, channelCount = result.NodeCount;
        if (result.SampleCount != samples || result.ClassCount != classes)
            throw new ArgumentException($"The result holds {result.SampleCount} samples of {result.ClassCount} classes; the class maps have {samples} of {classes}.", nameof(result));
        var probabilities = Growable.Ensure(ref buffers.Probabilities, sampleIndices.Length * classes).AsSpan(0, sampleIndices.Length * classes);
        SampleClassProbabilities(classMaps, peakX, peakY, sampleIndices, probabilities, clampOutside);
        ClassPeakGrouping.GroupClassPeaks(probabilities, classes, sampleIndices, channelIndices, samples, channelCount, buffers.Grouping);
        var peakInds = buffers.Grouping.PeakIndices;
        var classInds = buffers.Grouping.ClassIndices;

        result.Reset();
        for (int m = 0; m < peakInds.Count; m++)
        {
            int peak = peakInds[m], cls = classInds[m];
            int at = (sampleIndices[peak] * classes + cls) * channelCount + channelIndices[peak];
            result.Points[2 * at] = peakX[peak];
            result.Points[2 * at + 1] = peakY[peak];
            result.Values[at] = peakValues[peak];
            result.ClassProbabilities[at] = probabilities[peak * classes + cls];
        }
        return result;
    }
}

/// <summary>
/// Peaks grouped by identity class (SLEAP's <c>classify_peaks_from_maps</c> outputs), float32, NaN-filled:
/// slot (sample s, class k, node n) has point (x, y) at <c>Points[((s·K + k)·N + n)·2 ..]</c>, its peak value at
/// <c>Values[(s·K + k)·N + n]</c> and the class probability of that peak at <c>ClassProbabilities[(s·K + k)·N + n]</c>.
/// </summary>
public sealed class ClassGroupedPeaks
{
    public ClassGroupedPeaks(int sampleCount, int classCount, int nodeCount)
    {
        SampleCount = sampleCount;
        ClassCount = classCount;
        NodeCount = nodeCount;
        Points = new float[sampleCount * classCount * nodeCount * 2];
        Values = new float[sampleCount * classCount * nodeCount];
        ClassProbabilities = new float[sampleCount * classCount * nodeCount];
        Reset();
    }

    /// <summary>Every slot back to NaN, for reuse on the next frame.</summary>
    internal void Reset()
    {
        Array.Fill(Points, float.NaN);
        Array.Fill(Values, float.NaN);
        Array.Fill(ClassProbabilities, float.NaN);
    }

    public int SampleCount { get; }

    public int ClassCount { get; }

    public int NodeCount { get; }

    /// <summary>(samples, classes, nodes, 2).</summary>
    public float[] Points { get; }

    /// <summary>(samples, classes, nodes).</summary>
    public float[] Values { get; }

    /// <summary>(samples, classes, nodes).</summary>
    public float[] ClassProbabilities { get; }

    public int Slot(int sample, int cls, int node) => (sample * ClassCount + cls) * NodeCount + node;
}
