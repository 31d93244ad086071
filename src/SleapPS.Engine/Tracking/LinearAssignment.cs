namespace SleapPS.Engine.Tracking;

/// <summary>
/// Rectangular minimum-cost assignment by shortest augmenting paths (Crouse 2016), the algorithm of
/// scipy's <c>linear_sum_assignment</c>, with its tie-breaking so that equal-cost choices agree with
/// SLEAP. Infinite costs are forbidden pairs.
/// </summary>
internal static class LinearAssignment
{
    public static List<(int Row, int Column)> Solve(CostMatrix matrix)
    {
        var result = new List<(int, int)>();
        if (matrix.Rows == 0 || matrix.Columns == 0) return result;

        // Work on a matrix with no more rows than columns, as scipy does.
        bool transpose = matrix.Columns < matrix.Rows;
        int nr = transpose ? matrix.Columns : matrix.Rows;
        int nc = transpose ? matrix.Rows : matrix.Columns;
        var cost = new double[nr * nc];
        for (int i = 0; i < nr; i++)
            for (int j = 0; j < nc; j++)
                cost[i * nc + j] = transpose ? matrix[j, i] : matrix[i, j];
        if (cost.Any(c => double.IsNaN(c) || double.IsNegativeInfinity(c)))
            throw new SleapException(SleapErrorKind.InvalidArgument, "Hungarian matching got a cost matrix with invalid numeric entries (NaN or minus infinity).");

        var u = new double[nr];
        var v = new double[nc];
        var shortest = new double[nc];
        var path = new int[nc];
        var col4row = new int[nr];
        var row4col = new int[nc];
        var rowVisited = new bool[nr];
        var columnVisited = new bool[nc];
        var remaining = new int[nc];
        Array.Fill(path, -1);
        Array.Fill(col4row, -1);
        Array.Fill(row4col, -1);

        for (int current = 0; current < nr; current++)
        {
            int sink = AugmentingPath(cost, nc, u, v, path, row4col, shortest, current, rowVisited, columnVisited, remaining, out double minValue);
            if (sink < 0)
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    "Hungarian matching found no assignment with finite costs (an instance cannot be compared with any track, e.g. it has no points). Use greedy matching, or drop instances without points.");
            u[current] += minValue;
            for (int i = 0; i < nr; i++)
                if (rowVisited[i] && i != current) u[i] += minValue - shortest[col4row[i]];
            for (int j = 0; j < nc; j++)
                if (columnVisited[j]) v[j] -= minValue - shortest[j];
            int column = sink;
            while (true)
            {
                int row = path[column];
                row4col[column] = row;
                (col4row[row], column) = (column, col4row[row]);
                if (row == current) break;
            }
        }

        if (transpose)
        {
            // scipy lists pairs sorted by the original row index.
            foreach (int j in Enumerable.Range(0, nr).OrderBy(i => col4row[i]))
                result.Add((col4row[j], j));
        }
        else
        {
            for (int i = 0; i < nr; i++) result.Add((i, col4row[i]));
        }
        return result;
    }

    private static int AugmentingPath(double[] cost, int nc, double[] u, double[] v, int[] path, int[] row4col,
        double[] shortest, int row, bool[] rowVisited, bool[] columnVisited, int[] remaining, out double minValue)
    {
        minValue = 0;
        int remainingCount = nc;
        for (int it = 0; it < nc; it++) remaining[it] = nc - it - 1;
        Array.Fill(rowVisited, false);
        Array.Fill(columnVisited, false);
        Array.Fill(shortest, double.PositiveInfinity);

        int sink = -1;
        while (sink == -1)
        {
            int index = -1;
            double lowest = double.PositiveInfinity;
            rowVisited[row] = true;
            for (int it = 0; it < remainingCount; it++)
            {
                int j = remaining[it];
                double reduced = minValue + cost[row * nc + j] - u[row] - v[j];
                if (reduced < shortest[j])
                {
                    path[j] = row;
                    shortest[j] = reduced;
                }
                if (shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == -1))
                {
                    lowest = shortest[j];
                    index = it;
                }
            }
            minValue = lowest;
            if (double.IsPositiveInfinity(minValue)) return -1;
            int column = remaining[index];
            if (row4col[column] == -1) sink = column;
            else row = row4col[column];
            columnVisited[column] = true;
            remaining[index] = remaining[--remainingCount];
        }
        return sink;
    }
}
