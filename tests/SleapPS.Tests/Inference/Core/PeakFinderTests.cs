using SleapPS.Engine.Inference.Core;

namespace SleapPS.Tests.Inference.Core;

/// <summary>Peak finding against SLEAP's test_peak_finding.py (docs/design/references.md §3.1) and the rules of docs/design/inference.md §6.1 / §6.2.</summary>
public class PeakFinderTests
{
    [Fact]
    public void Global_rough_peaks_are_the_integer_points_with_value_1()
    {
        (float, float)[] points = [(1, 2), (3, 4), (5, 6)];
        (float, float)[] shifted = [(2, 3), (4, 5), (6, 7)];
        var maps = SyntheticMaps.Build(8, 8, 1f, [points], [shifted]);
        var peaks = new GridPeak[6];

        PeakFinder.FindGlobal(maps, 0.1f, peaks);

        Assert.Equal(
            [new(0, 0, 2, 1, 1f), new(0, 1, 4, 3, 1f), new(0, 2, 6, 5, 1f), new(1, 0, 3, 2, 1f), new(1, 1, 5, 4, 1f), new(1, 2, 7, 6, 1f)],
            peaks);
    }

    [Fact]
    public void Global_peaks_of_all_zero_maps_are_not_found_and_keep_value_0()
    {
        var maps = new MapView(new float[8 * 8 * 3], 1, 8, 8, 3);
        var peaks = new GridPeak[3];

        PeakFinder.FindGlobal(maps, 0.1f, peaks);

        Assert.All(peaks, p => Assert.Equal((-1, -1, 0f, false), (p.Row, p.Col, p.Value, p.Found)));
        Assert.Equal([0, 1, 2], peaks.Select(p => p.Channel));
    }

    [Fact]
    public void Global_peak_below_the_threshold_keeps_its_value()
    {
        var data = new float[4 * 4];
        data[2 * 4 + 3] = 0.15f;
        var peaks = new GridPeak[1];

        PeakFinder.FindGlobal(new MapView(data, 1, 4, 4, 1), 0.2f, peaks);

        Assert.Equal(new GridPeak(0, 0, -1, -1, 0.15f), peaks[0]);
    }

    [Fact]
    public void Global_peak_at_the_threshold_is_found()
    {
        var data = new float[4 * 4];
        data[1 * 4 + 2] = 0.2f;
        var peaks = new GridPeak[1];

        PeakFinder.FindGlobal(new MapView(data, 1, 4, 4, 1), 0.2f, peaks);

        Assert.Equal(new GridPeak(0, 0, 1, 2, 0.2f), peaks[0]);
    }

    [Fact]
    public void Global_ties_take_the_first_row_and_the_first_column_separately()
    {
        // Maxima at (row 1, col 3) and (row 2, col 0): TF's per-axis argmax pairs row 1 with column 0, which is not a maximum.
        var data = new float[4 * 4];
        data[1 * 4 + 3] = 1f;
        data[2 * 4 + 0] = 1f;
        data[1 * 4 + 0] = 0.5f;
        var peaks = new GridPeak[1];

        PeakFinder.FindGlobal(new MapView(data, 1, 4, 4, 1), 0.2f, peaks);

        Assert.Equal(new GridPeak(0, 0, 1, 0, 0.5f), peaks[0]);
    }

    [Fact]
    public void Local_rough_peaks_come_in_sample_row_col_channel_order()
    {
        (float, float) nan = (float.NaN, float.NaN);
        var maps = SyntheticMaps.Build(16, 16, 1f,
            [[(1, 2), (3, 4)], [(5, 6), (7, 8)], [nan, (11, 12)]],
            [[(2, 3), (4, 5)], [(6, 7), (8, 9)]]);
        var peaks = new List<GridPeak>();

        PeakFinder.FindLocal(maps, 0.1f, peaks);

        Assert.Equal([(1, 2), (3, 4), (5, 6), (7, 8), (11, 12), (2, 3), (4, 5), (6, 7), (8, 9)], peaks.Select(p => (p.Col, p.Row)));
        Assert.All(peaks, p => Assert.Equal(1f, p.Value));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], peaks.Select(p => p.Sample));
        Assert.Equal([0, 1, 0, 1, 1, 0, 1, 0, 1], peaks.Select(p => p.Channel));
    }

    [Fact]
    public void Local_peaks_of_zero_maps_are_none()
    {
        var peaks = new List<GridPeak>();

        PeakFinder.FindLocal(new MapView(new float[4 * 4 * 3], 1, 4, 4, 3), 0.1f, peaks);

        Assert.Empty(peaks);
    }

    [Fact]
    public void Local_peaks_need_strictly_more_than_the_threshold_and_every_neighbour()
    {
        // 5x5: a plateau of two equal pixels (no peak), a value equal to the threshold (no peak),
        // a corner pixel compared with its 3 in-image neighbours only (peak).
        float[] data =
        [
            0.9f, 0.5f, 0f, 0f, 0f,
            0.5f, 0f, 0f, 0f, 0f,
            0f, 0f, 0f, 0f, 0.3f,
            0f, 0.7f, 0.7f, 0f, 0f,
            0f, 0f, 0f, 0f, 0f,
        ];
        var peaks = new List<GridPeak>();

        PeakFinder.FindLocal(new MapView(data, 1, 5, 5, 1), 0.3f, peaks);

        Assert.Equal([new GridPeak(0, 0, 0, 0, 0.9f)], peaks);
    }
}
