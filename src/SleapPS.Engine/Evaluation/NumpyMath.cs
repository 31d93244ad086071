namespace SleapPS.Engine.Evaluation;

/// <summary>
/// The few numpy operations SLEAP's evaluation relies on, computed the way numpy computes them so that results
/// agree with SLEAP's to the last bits that matter (threshold grids, percentiles, NaN ordering).
/// </summary>
internal static class NumpyMath
{
    /// <summary>np.linspace(start, stop, count): i·step + start, with the last value set to stop exactly.</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        var values = new double[count];
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++) values[i] = i * step + start;
        if (count > 1) values[^1] = stop;
        return values;
    }

    /// <summary>
    /// Indices that order <paramref name="values"/> by descending value, ties kept in index order and NaN last:
    /// what np.argsort(-values, kind="mergesort") gives.
    /// </summary>
    public static int[] ArgsortDescendingStable(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).ToArray();
        // LINQ's OrderBy is stable; NaN goes after every number, as numpy sorts it.
        return order.OrderBy(i => double.IsNaN(values[i]) ? 1 : 0).ThenByDescending(i => double.IsNaN(values[i]) ? 0 : values[i]).ToArray();
    }

    /// <summary>np.percentile(values, percent) with the default linear method; <paramref name="sorted"/> is ascending and non-empty.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        double virtualIndex = (sorted.Length - 1) * (percent / 100.0);
        int below = (int)Math.Floor(virtualIndex);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double gamma = virtualIndex - below;
        double a = sorted[below], b = sorted[above];
        // numpy's _lerp: interpolate from the nearer end, which keeps the result inside [a, b].
        double difference = b - a;
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
    }

    /// <summary>np.nanmean: the mean of the non-NaN values, NaN when there are none.</summary>
    public static double NanMean(IEnumerable<double> values)
    {
        double sum = 0;
        int count = 0;
        foreach (double value in values)
        {
            if (double.IsNaN(value)) continue;
            sum += value;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>The non-NaN values, sorted ascending (what np.percentile sees after SLEAP drops NaN).</summary>
    public static double[] SortedNonNaN(IEnumerable<double> values)
    {
        var kept = values.Where(v => !double.IsNaN(v)).ToArray();
        Array.Sort(kept);
        return kept;
    }
}
