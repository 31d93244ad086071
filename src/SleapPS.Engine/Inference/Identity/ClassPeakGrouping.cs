using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.Identity;

/// <summary>
/// SLEAP's <c>group_class_peaks</c> (docs/design/inference.md §11.4, §12.3): assigns peaks to identity classes by their class
/// probabilities, separately for each (sample, channel), and keeps a match only when the class it got is the peak's
/// most probable class (no second choice).
/// </summary>
public static class ClassPeakGrouping
{
    /// <summary>
    /// Groups peaks into classes. For each sample and then each channel, the peaks of that (sample, channel), in their
    /// order, are matched to classes by a rectangular linear assignment on −probability (scipy semantics); then every
    /// match whose probability is below the peak's largest class probability is dropped.
    /// </summary>
    /// <param name="classProbabilities">(peaks, classes) row-major, float32 as SLEAP has them.</param>
    /// <param name="classCount">Classes (columns of <paramref name="classProbabilities"/>).</param>
    /// <param name="sampleIndices">The sample of each peak, in [0, sampleCount).</param>
    /// <param name="channelIndices">The channel (node) of each peak, in [0, channelCount).</param>
    /// <returns>
    /// Parallel arrays (peak index, class index), ordered by sample, then channel, then peak order; at most one peak
    /// per (sample, channel, class).
    /// </returns>
    public static (int[] PeakIndices, int[] ClassIndices) GroupClassPeaks(ReadOnlySpan<float> classProbabilities, int classCount,
        ReadOnlySpan<int> sampleIndices, ReadOnlySpan<int> channelIndices, int sampleCount, int channelCount)
    {
        var buffers = new Buffers();
        GroupClassPeaks(classProbabilities, classCount, sampleIndices, channelIndices, sampleCount, channelCount, buffers);
        return (buffers.PeakIndices.ToArray(), buffers.ClassIndices.ToArray());
    }

    /// <summary>
    /// Scratch space and results of <see cref="GroupClassPeaks(ReadOnlySpan{float}, int, ReadOnlySpan{int}, ReadOnlySpan{int}, int, int, Buffers)"/>,
    /// kept by a predictor from frame to frame so that grouping allocates nothing once warm.
    /// </summary>
    internal sealed class Buffers
    {
        /// <summary>The result: matched peaks, in the order described on <see cref="GroupClassPeaks(ReadOnlySpan{float}, int, ReadOnlySpan{int}, ReadOnlySpan{int}, int, int)"/>.</summary>
        public readonly List<int> PeakIndices = new();

        /// <summary>The result: the class of each matched peak.</summary>
        public readonly List<int> ClassIndices = new();

        public int[] Members = [], RowToColumn = [], Start = [], Fill = [];
        public double[] Cost = [];
    }

    /// <summary>The same grouping, into <paramref name="buffers"/> (its lists are cleared first).</summary>
    internal static void GroupClassPeaks(ReadOnlySpan<float> classProbabilities, int classCount,
        ReadOnlySpan<int> sampleIndices, ReadOnlySpan<int> channelIndices, int sampleCount, int channelCount, Buffers buffers)
    {
        int peaks = sampleIndices.Length;
        if (channelIndices.Length != peaks)
            throw new ArgumentException("Each peak needs a sample and a channel index.", nameof(channelIndices));
        if (classCount < 1 || classProbabilities.Length != peaks * classCount)
            throw new ArgumentException($"Expected {peaks}x{classCount} class probabilities, got {classProbabilities.Length}.", nameof(classProbabilities));
        for (int i = 0; i < peaks; i++)
            if ((uint)sampleIndices[i] >= (uint)sampleCount || (uint)channelIndices[i] >= (uint)channelCount)
                throw new ArgumentOutOfRangeException(nameof(sampleIndices),
                    $"Peak {i} has sample {sampleIndices[i]} and channel {channelIndices[i]}; expected samples below {sampleCount} and channels below {channelCount}.");

        var peakInds = buffers.PeakIndices;
        var classInds = buffers.ClassIndices;
        peakInds.Clear();
        classInds.Clear();
        var members = Growable.Ensure(ref buffers.Members, peaks);
        var cost = Growable.Ensure(ref buffers.Cost, peaks * classCount);
        var rowToColumn = Growable.Ensure(ref buffers.RowToColumn, peaks);

        // Group peak indices by (sample, channel), keeping peak order (a stable counting sort).
        int groups = sampleCount * channelCount;
        var start = Growable.Ensure(ref buffers.Start, groups + 1).AsSpan(0, groups + 1);
        start.Clear();
        for (int i = 0; i < peaks; i++)
            start[sampleIndices[i] * channelCount + channelIndices[i] + 1]++;
        for (int g = 0; g < groups; g++)
            start[g + 1] += start[g];
        var fill = Growable.Ensure(ref buffers.Fill, groups).AsSpan(0, groups);
        start[..^1].CopyTo(fill);
        for (int i = 0; i < peaks; i++)
            members[fill[sampleIndices[i] * channelCount + channelIndices[i]]++] = i;

        for (int g = 0; g < sampleCount * channelCount; g++)
        {
            int rows = start[g + 1] - start[g];
            if (rows == 0)
                continue;
            var group = members.AsSpan(start[g], rows);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < classCount; c++)
                    cost[r * classCount + c] = -(double)classProbabilities[group[r] * classCount + c];
            LinearAssignment.TrySolve(cost.AsSpan(0, rows * classCount), rows, classCount, rowToColumn.AsSpan(0, rows));
            for (int r = 0; r < rows; r++)
            {
                int column = rowToColumn[r];
                if (column < 0)
                    continue;
                var probabilities = classProbabilities.Slice(group[r] * classCount, classCount);
                if (probabilities[column] == Max(probabilities))
                {
                    peakInds.Add(group[r]);
                    classInds.Add(column);
                }
            }
        }
    }

    // tf.reduce_max: NaN propagates, so a peak with a NaN probability matches nothing.
    private static float Max(ReadOnlySpan<float> values)
    {
        float max = values[0];
        for (int i = 1; i < values.Length; i++)
            max = float.IsNaN(values[i]) || values[i] > max ? values[i] : max;
        return max;
    }
}
