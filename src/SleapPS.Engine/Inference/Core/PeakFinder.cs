using System.Buffers;

namespace SleapPS.Engine.Inference.Core;

/// <summary>SLEAP's rough peak finding on confidence maps (docs/design/inference.md §6.1, §6.2).</summary>
public static class PeakFinder
{
    /// <summary>What every global peak finder (SLEAP 1.4's, sleap-nn's) needs: a non-empty map and room for one peak per (sample, channel).</summary>
    internal static void RequireGlobalPeakArguments(MapView maps, Span<GridPeak> result)
    {
        if (result.Length < maps.Batch * maps.Channels)
            throw new ArgumentException($"FindGlobal needs room for {maps.Batch * maps.Channels} peaks; got {result.Length}.", nameof(result));
        if (maps.Height == 0 || maps.Width == 0)
            throw new ArgumentException($"FindGlobal needs a non-empty map; got {maps}.", nameof(maps));
    }

    /// <summary>
    /// One peak per (sample, channel), written at index <c>sample * Channels + channel</c> of <paramref name="result"/>
    /// (find_global_peaks_rough): Row = the first row holding the channel's maximum (arg-max of the per-row maxima),
    /// Col = the first column holding it (arg-max of the per-column maxima), Value = the map at (Row, Col). With ties
    /// the pair need not be a maximum pixel, as in SLEAP. When Value &lt; <paramref name="threshold"/> the peak is not
    /// found (Row = Col = -1) but keeps its value (docs/design/inference.md §Q3).
    /// </summary>
    public static void FindGlobal(MapView maps, float threshold, Span<GridPeak> result)
    {
        RequireGlobalPeakArguments(maps, result);
        int channels = maps.Channels, width = maps.Width, height = maps.Height;

        // Per channel: the best row so far and its maximum; per (column, channel): the column maximum.
        var pool = ArrayPool<float>.Shared;
        float[] columnMax = pool.Rent(width * channels);
        float[] rowMax = pool.Rent(channels);
        float[] bestRowMax = pool.Rent(channels);
        int[] bestRow = ArrayPool<int>.Shared.Rent(channels);
        try
        {
            var data = maps.Data;
            for (int b = 0; b < maps.Batch; b++)
            {
                int sampleStart = maps.IndexOf(b, 0, 0, 0);
                for (int y = 0; y < height; y++)
                {
                    int rowStart = sampleStart + y * width * channels;
                    // Column 0 seeds the row maxima (and, on row 0, the column maxima).
                    for (int c = 0; c < channels; c++)
                        rowMax[c] = data[rowStart + c];
                    for (int x = 0; x < width; x++)
                    {
                        int at = rowStart + x * channels;
                        int column = x * channels;
                        for (int c = 0; c < channels; c++)
                        {
                            float v = data[at + c];
                            if (v > rowMax[c])
                                rowMax[c] = v;
                            if (y == 0 || v > columnMax[column + c])
                                columnMax[column + c] = v;
                        }
                    }
                    for (int c = 0; c < channels; c++)
                    {
                        // Strictly greater: the first row with the maximum wins, as TF's argmax.
                        if (y == 0 || rowMax[c] > bestRowMax[c])
                        {
                            bestRowMax[c] = rowMax[c];
                            bestRow[c] = y;
                        }
                    }
                }
                for (int c = 0; c < channels; c++)
                {
                    int bestColumn = 0;
                    for (int x = 1; x < width; x++)
                        if (columnMax[x * channels + c] > columnMax[bestColumn * channels + c])
                            bestColumn = x;
                    int row = bestRow[c];
                    float value = data[sampleStart + (row * width + bestColumn) * channels + c];
                    result[b * channels + c] = value < threshold
                        ? new GridPeak(b, c, -1, -1, value)
                        : new GridPeak(b, c, row, bestColumn, value);
                }
            }
        }
        finally
        {
            pool.Return(columnMax);
            pool.Return(rowMax);
            pool.Return(bestRowMax);
            ArrayPool<int>.Shared.Return(bestRow);
        }
    }

    /// <summary>
    /// Appends the local peaks of every sample and channel in (sample, row, col, channel) order (find_local_peaks_rough):
    /// a pixel is a peak when its value is strictly greater than <paramref name="threshold"/> and than each of its
    /// in-image 8 neighbours, so plateaus give no peak.
    /// </summary>
    public static void FindLocal(MapView maps, float threshold, List<GridPeak> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int channels = maps.Channels, width = maps.Width, height = maps.Height;
        int rowStride = width * channels;
        var data = maps.Data;
        for (int b = 0; b < maps.Batch; b++)
        {
            int sampleStart = maps.IndexOf(b, 0, 0, 0);
            for (int y = 0; y < height; y++)
            {
                int y0 = y > 0 ? -1 : 0, y1 = y < height - 1 ? 1 : 0;
                for (int x = 0; x < width; x++)
                {
                    int x0 = x > 0 ? -1 : 0, x1 = x < width - 1 ? 1 : 0;
                    int at = sampleStart + y * rowStride + x * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        float v = data[at + c];
                        // SLEAP's dilation also compares the pixel with itself minus 1 (the kernel's centre weight).
                        if (!(v > threshold) || !(v > v - 1f))
                            continue;
                        if (IsAboveNeighbours(data, at + c, v, y0, y1, x0, x1, rowStride, channels))
                            result.Add(new GridPeak(b, c, y, x, v));
                    }
                }
            }
        }
    }

    private static bool IsAboveNeighbours(float[] data, int at, float v, int y0, int y1, int x0, int x1, int rowStride, int channels)
    {
        for (int dy = y0; dy <= y1; dy++)
        {
            int rowAt = at + dy * rowStride;
            for (int dx = x0; dx <= x1; dx++)
            {
                if (dy == 0 && dx == 0)
                    continue;
                if (!(v > data[rowAt + dx * channels]))
                    return false;
            }
        }
        return true;
    }
}
