namespace SleapPS.Engine.Trajectories;

/// <summary>
/// The rolling median of one unbroken run of values, centred on each value, with the run's ends mirrored
/// (numpy's 'reflect' padding, which movement's rolling_filter uses: docs/design/trajectories.md §5).
/// </summary>
internal sealed class MedianFilter(int window)
{
    private readonly int _half = window / 2;
    private readonly double[] _scratch = new double[window];

    /// <summary>Filters <paramref name="values"/>[start..start+length) into <paramref name="output"/> at the same positions; length ≥ window.</summary>
    public void Apply(double[] values, int start, int length, double[] output)
    {
        for (int i = 0; i < length; i++)
        {
            for (int j = -_half; j <= _half; j++)
            {
                int k = i + j;
                if (k < 0) k = -k;                              // reflect about the first value: x[1], x[2], ...
                else if (k >= length) k = 2 * (length - 1) - k; // and about the last
                _scratch[j + _half] = values[start + k];
            }
            output[start + i] = Median(_scratch);
        }
    }

    /// <summary>The middle value, by insertion sort: windows are a few frames, where it beats a general sort.</summary>
    private static double Median(double[] window)
    {
        for (int i = 1; i < window.Length; i++)
        {
            double value = window[i];
            int j = i - 1;
            for (; j >= 0 && window[j] > value; j--) window[j + 1] = window[j];
            window[j + 1] = value;
        }
        return window[window.Length / 2];
    }
}
