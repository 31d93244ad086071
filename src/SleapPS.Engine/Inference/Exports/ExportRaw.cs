namespace SleapPS.Engine.Inference.Exports;

/// <summary>The <see cref="RawFrameOutput"/> arrays of an export's frame (docs/design/sleap-nn-exports.md §3.7), from flat row-major rows.</summary>
internal static class ExportRaw
{
    /// <param name="points">(rows, N, 2) frame (x, y).</param>
    /// <param name="values">(rows, N) node values.</param>
    /// <param name="rows">Instances (or classes, or centroids) of the frame.</param>
    /// <param name="nodes">N.</param>
    /// <param name="scores">(rows) instance scores, or null when the kind has none.</param>
    /// <param name="centroids">(rows, 2) top-down centroids, or null.</param>
    /// <param name="centroidValues">(rows) their values, or null.</param>
    public static RawFrameOutput Instances(ReadOnlySpan<float> points, ReadOnlySpan<float> values, int rows, int nodes, float[]? scores,
        float[,]? centroids = null, float[]? centroidValues = null)
    {
        var peaks = new float[rows, nodes, 2];
        var peakValues = new float[rows, nodes];
        for (int r = 0; r < rows; r++)
            for (int n = 0; n < nodes; n++)
            {
                peaks[r, n, 0] = points[(r * nodes + n) * 2];
                peaks[r, n, 1] = points[(r * nodes + n) * 2 + 1];
                peakValues[r, n] = values[r * nodes + n];
            }
        return new RawFrameOutput
        {
            InstancePeaks = peaks,
            InstancePeakValues = peakValues,
            InstanceScores = scores,
            Centroids = centroids,
            CentroidValues = centroidValues,
            NValid = rows,
        };
    }
}
