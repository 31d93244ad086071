namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>Comparing SleapPS's numbers with sleap-nn's recorded ones.</summary>
internal static class Deviation
{
    /// <summary>
    /// Asserts <paramref name="actual"/> is within <paramref name="tolerance"/> of <paramref name="expected"/> (NaN only
    /// where sleap-nn has NaN) and returns the deviation, for the largest-deviation lines the tests print.
    /// </summary>
    public static double Near(double expected, double actual, double tolerance)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"expected NaN, got {actual}");
            return 0;
        }
        double deviation = Math.Abs(expected - actual);
        Assert.True(deviation <= tolerance, $"expected {expected}, got {actual} (off by {deviation:G3}, tolerance {tolerance})");
        return deviation;
    }
}
