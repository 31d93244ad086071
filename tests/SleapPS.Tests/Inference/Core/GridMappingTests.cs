using SleapPS.Engine.Inference.Core;

namespace SleapPS.Tests.Inference.Core;

/// <summary>Grid to image coordinates (docs/design/inference.md §7).</summary>
public class GridMappingTests
{
    [Theory]
    [InlineData(3.25, 4, 1.0, 13.0)]       // centroid: 4 p
    [InlineData(3.25, 4, 0.5, 26.5)]       // robot single instance: 8 p + 0.5
    [InlineData(3.25, 2, 0.25, 26.5)]      // any scale gets +0.5 (docs/design/inference.md §Q2): 2 p / 0.25 + 0.5
    public void Multiplies_by_the_stride_and_undoes_the_input_scale_with_plus_half(double grid, int stride, double scale, double expected)
    {
        Assert.Equal((float)expected, GridMapping.ToImage(grid, stride, scale));
    }

    [Fact]
    public void NaN_stays_NaN()
    {
        Assert.True(float.IsNaN(GridMapping.ToImage(double.NaN, 4, 0.5)));
    }
}
