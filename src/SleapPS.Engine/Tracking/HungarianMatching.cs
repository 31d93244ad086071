namespace SleapPS.Engine.Tracking;

/// <summary>
/// Hungarian matching for the trackers: the engine's one implementation of scipy's
/// <c>linear_sum_assignment</c> (<see cref="Inference.Core.LinearAssignment"/>, with scipy's tie-breaking),
/// with the tracker's own error messages. Infinite costs are forbidden pairs.
/// </summary>
internal static class HungarianMatching
{
    /// <summary>The matched (row, column) pairs, sorted by row, as scipy returns them.</summary>
    public static List<(int Row, int Column)> Solve(CostMatrix matrix)
    {
        var result = new List<(int, int)>();
        if (matrix.Rows == 0 || matrix.Columns == 0) return result;

        var cost = new double[matrix.Rows * matrix.Columns];
        for (int i = 0; i < matrix.Rows; i++)
            for (int j = 0; j < matrix.Columns; j++)
            {
                double c = matrix[i, j];
                if (double.IsNaN(c) || double.IsNegativeInfinity(c))
                    throw new SleapException(SleapErrorKind.InvalidArgument, "Hungarian matching got a cost matrix with invalid numeric entries (NaN or minus infinity).");
                cost[i * matrix.Columns + j] = c;
            }

        var rowToColumn = new int[matrix.Rows];
        if (!Inference.Core.LinearAssignment.TrySolve(cost, matrix.Rows, matrix.Columns, rowToColumn))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                "Hungarian matching found no assignment with finite costs (an instance cannot be compared with any track, e.g. it has no points). Use greedy matching, or drop instances without points.");
        for (int i = 0; i < rowToColumn.Length; i++)
            if (rowToColumn[i] >= 0) result.Add((i, rowToColumn[i]));
        return result;
    }
}
