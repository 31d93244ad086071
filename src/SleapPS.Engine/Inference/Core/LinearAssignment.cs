namespace SleapPS.Engine.Inference.Core;

/// <summary>Rectangular linear assignment with scipy.optimize.linear_sum_assignment's semantics.</summary>
public static class LinearAssignment
{
    /// <summary>result[row] = assigned column, or -1.</summary>
    public static int[] Solve(ReadOnlySpan<double> cost, int rows, int columns) => throw new NotImplementedException();

    /// <summary>Like <see cref="Solve"/> into a caller's buffer (length rows); false when no assignment of finite cost exists.</summary>
    public static bool TrySolve(ReadOnlySpan<double> cost, int rows, int columns, Span<int> rowToColumn) => throw new NotImplementedException();
}
