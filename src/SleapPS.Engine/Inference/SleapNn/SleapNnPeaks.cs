using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.SleapNn;

/// <summary>sleap-nn's global peaks and integral refinement (docs/design/sleap-nn-inference.md §4, §5).</summary>
internal static class SleapNnPeaks
{
    /// <summary>
    /// One peak per (sample, channel), at index <c>sample * Channels + channel</c> (find_global_peaks_rough): Value = the
    /// channel's maximum, Col = the first column holding it, Row = the first row holding it. A maximum below
    /// <paramref name="threshold"/> gives no peak (Row = Col = −1) and the value 0, unlike SLEAP 1.4, which keeps it (§4).
    /// </summary>
    public static void FindGlobal(MapView maps, float threshold, Span<GridPeak> result)
    {
        PeakFinder.RequireGlobalPeakArguments(maps, result);
        int channels = maps.Channels, width = maps.Width, height = maps.Height;
        var data = maps.Data;
        for (int b = 0; b < maps.Batch; b++)
        {
            int sampleStart = maps.IndexOf(b, 0, 0, 0);
            for (int c = 0; c < channels; c++)
            {
                // Row-major scan with a strict comparison: the first row holding the maximum, and in it the first column.
                float max = data[sampleStart + c];
                int row = 0;
                for (int y = 0; y < height; y++)
                {
                    int rowStart = sampleStart + y * width * channels + c;
                    for (int x = 0; x < width; x++)
                    {
                        float v = data[rowStart + x * channels];
                        if (v > max)
                        {
                            max = v;
                            row = y;
                        }
                    }
                }
                // The first column holding the maximum, over all rows.
                int col = width;
                for (int y = 0; y < height && col > 0; y++)
                {
                    int rowStart = sampleStart + y * width * channels + c;
                    for (int x = 0; x < col; x++)
                        if (data[rowStart + x * channels] == max)
                        {
                            col = x;
                            break;
                        }
                }
                result[b * channels + c] = max < threshold
                    ? new GridPeak(b, c, -1, -1, 0f)
                    : new GridPeak(b, c, row, col, max);
            }
        }
    }

    /// <summary>
    /// Integral regression on the <paramref name="size"/> x <paramref name="size"/> patch centred on the integer peak,
    /// cells outside the map 0: (Col + Σ v·dx / Σ v, Row + Σ v·dy / Σ v) with dx, dy ∈ {−(size−1)/2 … (size−1)/2}, on the
    /// raw values (negative ones included, no guard for a zero sum), float32 (§5). NaN for a peak that was not found.
    /// </summary>
    public static (double X, double Y) IntegralRefine(in GridPeak peak, MapView maps, int size)
    {
        if (!peak.Found)
            return (double.NaN, double.NaN);
        if (size < 1 || size % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "The integral patch size must be an odd number of at least 1.");
        int half = size / 2;
        float offset = (size - 1) / 2f;
        float total = 0f, sumX = 0f, sumY = 0f;
        for (int i = 0; i < size; i++)
        {
            int y = peak.Row - half + i;
            if (y < 0 || y >= maps.Height)
                continue;
            float dy = i - offset;
            for (int j = 0; j < size; j++)
            {
                int x = peak.Col - half + j;
                if (x < 0 || x >= maps.Width)
                    continue;
                float v = maps.At(peak.Sample, y, x, peak.Channel);
                total += v;
                sumX += (j - offset) * v;
                sumY += dy * v;
            }
        }
        return (peak.Col + sumX / total, peak.Row + sumY / total);
    }
}
