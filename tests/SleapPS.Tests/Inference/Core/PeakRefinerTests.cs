using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models;

namespace SleapPS.Tests.Inference.Core;

/// <summary>Sub-pixel refinement against SLEAP's test_peak_finding.py (docs/design/references.md §3.1) and docs/design/inference.md §6.4.</summary>
public class PeakRefinerTests
{
    [Fact]
    public void Local_offsets_step_a_quarter_towards_the_larger_neighbour()
    {
        var patch = new MapView([0, 1, 0, 1, 3, 2, 0, 1, 0], 1, 3, 3, 1);
        var symmetric = new MapView([0, 1, 0, 1, 3, 1, 0, 1, 0], 1, 3, 3, 1);
        var peak = new GridPeak(0, 0, 1, 1, 3f);

        Assert.Equal((1.25, 1.0), PeakRefiner.Refine(peak, patch, null, PeakRefinement.Local, 5));
        Assert.Equal((1.0, 1.0), PeakRefiner.Refine(peak, symmetric, null, PeakRefinement.Local, 5));
    }

    [Fact]
    public void Global_peaks_with_local_refinement_are_exact_quarters()
    {
        var maps = SyntheticMaps.Single(12, 12, 1f, (1.6f, 2.6f), (3.6f, 4.6f), (5.6f, 6.6f));

        var refined = RefineGlobal(maps, PeakRefinement.Local, 5, out var peaks);

        Assert.Equal([(1.75, 2.75), (3.75, 4.75), (5.75, 6.75)], refined);
        Assert.All(peaks, p => Assert.InRange(p.Value, 0.7f, 1.3f));
    }

    [Fact]
    public void Single_instance_layer_case_local_refinement_reproduces_the_points_exactly()
    {
        // test_single_instance_inference: Gaussians at quarter positions, the second sample shifted by 1.
        (float, float)[] points = [(1.75f, 2.75f), (3.75f, 4.75f), (5.75f, 6.75f)];
        var maps = SyntheticMaps.Build(12, 12, 1f, [points], [points.Select(p => (p.Item1 + 1, p.Item2 + 1)).ToArray()]);

        var refined = RefineGlobal(maps, PeakRefinement.Local, 5, out var peaks);

        Assert.Equal(points.Concat(points.Select(p => (p.Item1 + 1, p.Item2 + 1))).Select(p => ((double)p.Item1, (double)p.Item2)), refined);
        Assert.All(peaks, p => Assert.InRange(p.Value, 0.9f, 1.1f));
    }

    [Fact]
    public void Global_peaks_with_integral_refinement_are_within_0_1()
    {
        (float, float)[] points = [(1.5f, 2.5f), (3.5f, 4.5f), (5.5f, 6.5f)];
        var maps = SyntheticMaps.Single(12, 12, 1f, points);

        var refined = RefineGlobal(maps, PeakRefinement.Integral, 5, out var peaks);

        for (int i = 0; i < points.Length; i++)
        {
            Assert.Equal(points[i].Item1, refined[i].X, 0.1);
            Assert.Equal(points[i].Item2, refined[i].Y, 0.1);
            Assert.InRange(peaks[i].Value, 0.7f, 1.3f);
        }
    }

    [Fact]
    public void Peaks_that_were_not_found_refine_to_NaN()
    {
        var maps = new MapView(new float[8 * 8 * 3], 1, 8, 8, 3);

        var refined = RefineGlobal(maps, PeakRefinement.Integral, 5, out var peaks);

        Assert.All(refined, p => Assert.True(double.IsNaN(p.X) && double.IsNaN(p.Y)));
        Assert.All(peaks, p => Assert.Equal(0f, p.Value));
    }

    [Fact]
    public void Local_peaks_with_integral_refinement_are_within_0_2()
    {
        var (maps, expected) = LocalCase(0.3f);

        var refined = RefineLocal(maps, PeakRefinement.Integral, out var peaks);

        Assert.Equal(expected.Length, refined.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].X, refined[i].X, 0.2);
            Assert.Equal(expected[i].Y, refined[i].Y, 0.2);
        }
        Assert.All(peaks, p => Assert.InRange(p.Value, 0.9f, 1.1f));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], peaks.Select(p => p.Sample));
        Assert.Equal([0, 1, 0, 1, 1, 0, 1, 0, 1], peaks.Select(p => p.Channel));
    }

    [Fact]
    public void Local_peaks_with_local_refinement_are_exact()
    {
        var (maps, expected) = LocalCase(0.25f);

        var refined = RefineLocal(maps, PeakRefinement.Local, out _);

        Assert.Equal(expected, refined);
    }

    [Fact]
    public void No_refinement_gives_the_grid_peak()
    {
        var maps = SyntheticMaps.Single(12, 12, 1f, (1.6f, 2.6f));

        Assert.Equal([(2.0, 3.0)], RefineGlobal(maps, PeakRefinement.None, 5, out _));
    }

    [Fact]
    public void Integral_patch_uses_raw_values_zero_padded_outside_the_map()
    {
        // Peak at the corner (0, 0) of a 3x3 map; a 3x3 patch reaches one cell outside on each side (zeros).
        // Patch rows (y = -1, 0, 1) x cols (x = -1, 0, 1): sum = 1 + 0.5 - 0.25 + 0.5 = 1.75;
        // dx = (1 * 0.5 + 1 * -0.25) / 1.75, dy = (1 * -0.25 + 1 * 0.5) / 1.75.
        float[] data = [1f, 0.5f, 0f, 0.5f, -0.25f, 0f, 0f, 0f, 0f];
        var maps = new MapView(data, 1, 3, 3, 1);

        var (x, y) = PeakRefiner.Refine(new GridPeak(0, 0, 0, 0, 1f), maps, null, PeakRefinement.Integral, 3);

        Assert.Equal(0.25f / 1.75f, (float)x);
        Assert.Equal(0.25f / 1.75f, (float)y);
    }

    [Fact]
    public void Integral_patch_of_zero_sum_gives_NaN_as_SLEAP_does()
    {
        float[] data = [0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f];
        var (x, y) = PeakRefiner.Refine(new GridPeak(0, 0, 1, 1, 0f), new MapView(data, 1, 3, 3, 1), null, PeakRefinement.Integral, 3);

        Assert.True(double.IsNaN(x) && double.IsNaN(y));
    }

    [Fact]
    public void Offset_maps_replace_the_refinement_mode()
    {
        // Two confidence-map channels -> offsets channels (dx0, dy0, dx1, dy1) at each cell.
        var confmaps = new MapView(new float[2 * 3 * 3 * 2], 2, 3, 3, 2);
        var offsetData = new float[2 * 3 * 3 * 4];
        var offsets = new MapView(offsetData, 2, 3, 3, 4);
        offsetData[offsets.IndexOf(1, 2, 1, 2)] = 0.3f;
        offsetData[offsets.IndexOf(1, 2, 1, 3)] = -0.4f;

        var refined = PeakRefiner.Refine(new GridPeak(1, 1, 2, 1, 0.9f), confmaps, offsets, PeakRefinement.Local, 5);

        Assert.Equal((1 + 0.3f, 2 - 0.4f), ((float)refined.X, (float)refined.Y));
    }

    private static (double X, double Y)[] RefineGlobal(MapView maps, PeakRefinement mode, int patch, out GridPeak[] peaks)
    {
        peaks = new GridPeak[maps.Batch * maps.Channels];
        PeakFinder.FindGlobal(maps, 0.1f, peaks);
        return peaks.Select(p => PeakRefiner.Refine(p, maps, null, mode, patch)).ToArray();
    }

    private static (double X, double Y)[] RefineLocal(MapView maps, PeakRefinement mode, out List<GridPeak> peaks)
    {
        peaks = new List<GridPeak>();
        PeakFinder.FindLocal(maps, 0.1f, peaks);
        return peaks.Select(p => PeakRefiner.Refine(p, maps, null, mode, 5)).ToArray();
    }

    // test_find_local_peaks_{integral,local}: the rough case's points * 2 + shift on 32x32 maps.
    private static (MapView Maps, (double X, double Y)[] Expected) LocalCase(float shift)
    {
        (float, float) P(float x, float y) => (x * 2 + shift, y * 2 + shift);
        (float, float) nan = (float.NaN, float.NaN);
        var maps = SyntheticMaps.Build(32, 32, 1f,
            [[P(1, 2), P(3, 4)], [P(5, 6), P(7, 8)], [nan, P(11, 12)]],
            [[P(2, 3), P(4, 5)], [P(6, 7), P(8, 9)]]);
        (double, double)[] expected = new (float X, float Y)[] { P(1, 2), P(3, 4), P(5, 6), P(7, 8), P(11, 12), P(2, 3), P(4, 5), P(6, 7), P(8, 9) }
            .Select(p => ((double)p.X, (double)p.Y)).ToArray();
        return (maps, expected);
    }
}
