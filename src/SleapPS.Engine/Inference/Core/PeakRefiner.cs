using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Core;

/// <summary>SLEAP's sub-pixel refinement of rough peaks (docs/design/inference.md §6.4), in float32 as SLEAP computes it.</summary>
public static class PeakRefiner
{
    /// <summary>The quarter-pixel step of local refinement.</summary>
    public const float LocalStep = 0.25f;

    /// <summary>
    /// The refined peak (x, y) = (Col + dx, Row + dy) in grid units of the confidence maps, not clamped; (NaN, NaN) for
    /// a peak that was not found. When <paramref name="offsets"/> (an OffsetRefinementHead output, channels 2c = dx and
    /// 2c + 1 = dy of map channel c) is given it replaces <paramref name="mode"/> (docs/design/inference.md §Q4). Otherwise
    /// <see cref="PeakRefinement.Local"/>: dx = 0.25 sign(right - left), dy = 0.25 sign(bottom - top) on the 3x3 patch;
    /// <see cref="PeakRefinement.Integral"/>: the centre of mass of the k x k patch (k = <paramref name="integralPatchSize"/>)
    /// with raw values (negatives included, no guard for a zero sum). Patch cells outside the map are 0.
    /// </summary>
    public static (double X, double Y) Refine(in GridPeak peak, MapView confmaps, MapView? offsets, PeakRefinement mode, int integralPatchSize)
    {
        if (!peak.Found)
            return (double.NaN, double.NaN);
        float col = peak.Col, row = peak.Row;
        if (offsets is { } offsetMaps)
            return (col + offsetMaps.At(peak.Sample, peak.Row, peak.Col, 2 * peak.Channel),
                    row + offsetMaps.At(peak.Sample, peak.Row, peak.Col, 2 * peak.Channel + 1));
        return mode switch
        {
            PeakRefinement.None => (col, row),
            PeakRefinement.Local => Local(peak, confmaps),
            PeakRefinement.Integral => Integral(peak, confmaps, integralPatchSize),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    private static (double X, double Y) Local(in GridPeak peak, MapView confmaps)
    {
        Span<float> patch = stackalloc float[9];
        Patch(peak, confmaps, 3, patch);
        float dx = LocalStep * MathF.Sign(patch[5] - patch[3]);
        float dy = LocalStep * MathF.Sign(patch[7] - patch[1]);
        return (peak.Col + dx, peak.Row + dy);
    }

    private static (double X, double Y) Integral(in GridPeak peak, MapView confmaps, int size)
    {
        if (size < 1)
            throw new ArgumentOutOfRangeException(nameof(size), size, "The integral patch size must be at least 1.");
        Span<float> patch = size <= 15 ? stackalloc float[size * size] : new float[size * size];
        Patch(peak, confmaps, size, patch);
        float half = (size - 1) / 2f;
        float total = 0, sumX = 0, sumY = 0;
        for (int i = 0; i < size; i++)
        {
            float gy = i - half;
            for (int j = 0; j < size; j++)
            {
                float p = patch[i * size + j];
                total += p;
                sumX += (j - half) * p;
                sumY += gy * p;
            }
        }
        return (peak.Col + sumX / total, peak.Row + sumY / total);
    }

    /// <summary>The size x size patch of the peak's channel centred on the peak, as crop_bboxes cuts it (docs/design/inference.md §3.5).</summary>
    private static void Patch(in GridPeak peak, MapView maps, int size, Span<float> patch)
    {
        Span<float> rows = size <= 64 ? stackalloc float[size] : new float[size];
        Span<float> cols = size <= 64 ? stackalloc float[size] : new float[size];
        CropGeometry.Positions(peak.Row, maps.Height, rows);
        CropGeometry.Positions(peak.Col, maps.Width, cols);
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
                patch[i * size + j] = float.IsNaN(rows[i]) || float.IsNaN(cols[j])
                    ? 0f
                    : Bilinear(maps, peak.Sample, peak.Channel, rows[i], cols[j]);
    }

    private static float Bilinear(MapView maps, int sample, int channel, float y, float x)
    {
        int top = (int)MathF.Floor(y), bottom = (int)MathF.Ceiling(y);
        int left = (int)MathF.Floor(x), right = (int)MathF.Ceiling(x);
        float yLerp = y - top, xLerp = x - left;
        float topLeft = maps.At(sample, top, left, channel), topRight = maps.At(sample, top, right, channel);
        float bottomLeft = maps.At(sample, bottom, left, channel), bottomRight = maps.At(sample, bottom, right, channel);
        float upper = topLeft + (topRight - topLeft) * xLerp;
        float lower = bottomLeft + (bottomRight - bottomLeft) * xLerp;
        return upper + (lower - upper) * yLerp;
    }
}
