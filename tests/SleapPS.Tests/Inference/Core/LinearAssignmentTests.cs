using SleapPS.Engine.Inference.Core;

namespace SleapPS.Tests.Inference.Core;

/// <summary>
/// Rectangular assignment against hand-solved cases and scipy.optimize.linear_sum_assignment's choices among ties
/// (the expected results of the tie cases are what scipy 1.10.1 returns; during development the solver also matched
/// scipy on 3,000 random matrices of up to 6x6 with ties and infinite entries).
/// </summary>
public class LinearAssignmentTests
{
    private const double Inf = double.PositiveInfinity;

    public static TheoryData<double[][], int[]> Cases => new()
    {
        // scipy's documentation example: 1 + 2 + 2 = 5.
        { [[4, 1, 3], [2, 0, 5], [3, 2, 2]], [1, 0, 2] },
        // More rows than columns: the cheap third row takes column 0, the first row is left out (1 + 0 beats 1 + 1).
        { [[1, 10], [10, 1], [0, 0]], [-1, 1, 0] },
        // +infinity forbids a pair.
        { [[Inf, 1], [2, Inf]], [1, 0] },
        // Row 1 can only take column 0, so row 0 pays 5 for column 2.
        { [[1, Inf, 5], [2, Inf, Inf]], [2, 0] },
        // Ties: a constant matrix gives the identity; extra rows or columns are left over at the end.
        { [[0, 0, 0], [0, 0, 0], [0, 0, 0]], [0, 1, 2] },
        { [[0, 0, 0], [0, 0, 0]], [0, 1] },
        { [[0, 0], [0, 0], [0, 0]], [0, 1, -1] },
        // Ties between equally cheap columns: scipy takes the later-scanned free one.
        { [[1, 1, 0, 0], [0, 0, 1, 1]], [2, 0] },
        { [[4, 1, 3], [2, 0, 5]], [1, 0] },
        { [[-0.5, -0.5, -0.25], [-0.5, -0.5, -0.25]], [0, 1] },
        { [[1, 1], [1, 1], [0, 1]], [1, -1, 0] },
        { [[0, Inf, 0], [Inf, 0, 0], [0, 0, Inf]], [0, 2, 1] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_scipy(double[][] cost, int[] expected)
    {
        int rows = cost.Length, columns = cost[0].Length;

        var result = LinearAssignment.Solve(cost.SelectMany(r => r).ToArray(), rows, columns);

        Assert.Equal(expected, result);
    }

    [Fact]
    public void Exactly_min_rows_columns_pairs_even_when_costly()
    {
        // Every pair is expensive, but two are still returned (SLEAP filters by score afterwards).
        var result = LinearAssignment.Solve([100, 200, 300, 50, 10, 20], 2, 3);

        Assert.Equal([0, 1], result);
    }

    [Fact]
    public void Empty_matrices_assign_nothing()
    {
        Assert.Equal([-1, -1], LinearAssignment.Solve([], 2, 0));
        Assert.Empty(LinearAssignment.Solve([], 0, 3));
    }

    [Fact]
    public void Infeasible_matrices_fail()
    {
        double[] cost = [1, Inf, 2, Inf];
        var result = new int[2];

        Assert.False(LinearAssignment.TrySolve(cost, 2, 2, result));
        Assert.Equal([-1, -1], result);
        Assert.Throws<InvalidOperationException>(() => LinearAssignment.Solve(cost, 2, 2));
        Assert.False(LinearAssignment.TrySolve([Inf, Inf], 1, 2, result));
    }

    [Fact]
    public void NaN_and_minus_infinity_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => LinearAssignment.Solve([1, double.NaN], 1, 2));
        Assert.Contains("(0, 1) is NaN", ex.Message);
        Assert.Throws<ArgumentException>(() => LinearAssignment.Solve([double.NegativeInfinity, 1], 2, 1));
    }

    [Fact]
    public void Reuses_its_buffers_across_sizes()
    {
        Assert.Equal([1, 0, 2], LinearAssignment.Solve([4, 1, 3, 2, 0, 5, 3, 2, 2], 3, 3));
        Assert.Equal([0], LinearAssignment.Solve([7], 1, 1));
        Assert.Equal([1, 0, 2], LinearAssignment.Solve([4, 1, 3, 2, 0, 5, 3, 2, 2], 3, 3));
    }
}
