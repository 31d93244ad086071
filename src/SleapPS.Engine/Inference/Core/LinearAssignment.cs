namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// Rectangular linear assignment with scipy.optimize.linear_sum_assignment's semantics, as SLEAP uses it for PAF
/// matching and identity grouping (docs/design/inference.md §10.4, §11, §12): minimises the total cost over exactly min(rows,
/// columns) pairs, each row and column used at most once; +infinity marks a forbidden pair.
/// </summary>
/// <remarks>
/// The algorithm is scipy's: Crouse's shortest augmenting path (the Jonker-Volgenant family, O(n^3)), on the matrix
/// transposed when it has fewer columns than rows, after subtracting its minimum entry. Rows are added in index order;
/// when several columns share the lowest path cost, the first one scanned wins unless a later one is still free (scan
/// order: descending column index, columns leaving the scan by swap-removal). Reproducing these steps reproduces
/// scipy's choice among equal-cost assignments (a constant matrix gives the identity, for example).
/// Buffers are kept per thread and reused, so a call allocates nothing beyond its result.
/// </remarks>
public static class LinearAssignment
{
    [ThreadStatic] private static Workspace? t_workspace;

    /// <summary>
    /// result[row] = the column assigned to that row, or -1 for rows left over when there are more rows than columns.
    /// <paramref name="cost"/> is row-major rows x columns. Throws ArgumentException for NaN or -infinity entries and
    /// InvalidOperationException when no assignment of finite cost exists (scipy's "cost matrix is infeasible").
    /// </summary>
    public static int[] Solve(ReadOnlySpan<double> cost, int rows, int columns)
    {
        var result = new int[rows];
        if (!TrySolve(cost, rows, columns, result))
            throw new InvalidOperationException($"The {rows}x{columns} cost matrix is infeasible: no assignment of min(rows, columns) pairs avoids its infinite entries.");
        return result;
    }

    /// <summary>
    /// Like <see cref="Solve"/>, into <paramref name="rowToColumn"/> (at least <paramref name="rows"/> long); false, with
    /// every row -1, when no assignment of finite cost exists.
    /// </summary>
    public static bool TrySolve(ReadOnlySpan<double> cost, int rows, int columns, Span<int> rowToColumn)
    {
        if (rows < 0 || columns < 0 || cost.Length < rows * columns)
            throw new ArgumentException($"A {rows}x{columns} cost matrix needs {rows * columns} entries; got {cost.Length}.", nameof(cost));
        if (rowToColumn.Length < rows)
            throw new ArgumentException($"The result needs room for {rows} rows; got {rowToColumn.Length}.", nameof(rowToColumn));
        rowToColumn[..rows].Fill(-1);
        if (rows == 0 || columns == 0)
            return true;

        // scipy solves with at least as many columns as rows, transposing otherwise.
        bool transpose = columns < rows;
        int n = transpose ? columns : rows, m = transpose ? rows : columns;
        var work = t_workspace ??= new Workspace();
        work.Prepare(n, m);
        var matrix = work.Cost.AsSpan(0, n * m);
        double minimum = double.PositiveInfinity;
        for (int k = 0; k < rows * columns; k++)
            minimum = Math.Min(minimum, cost[k]);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                double value = cost[r * columns + c];
                if (double.IsNaN(value) || double.IsNegativeInfinity(value))
                    throw new ArgumentException($"Cost entry ({r}, {c}) is {value}; costs must be numbers or +infinity.", nameof(cost));
                // scipy works on a non-negative matrix: cost - min (an all-infinite matrix gives NaN here and is infeasible).
                matrix[transpose ? c * m + r : r * m + c] = value - minimum;
            }
        if (double.IsPositiveInfinity(minimum) || !work.Solve(n, m))
            return false;

        for (int i = 0; i < n; i++)
        {
            int j = work.ColumnOfRow[i];
            if (transpose)
                rowToColumn[j] = i;
            else
                rowToColumn[i] = j;
        }
        return true;
    }

    /// <summary>The solver's state for an n x m problem (n &lt;= m), grown as needed and reused.</summary>
    private sealed class Workspace
    {
        public double[] Cost = [];
        private double[] _u = [], _v = [], _shortestPathCosts = [];
        private int[] _path = [], _rowOfColumn = [], _remaining = [];
        public int[] ColumnOfRow = [];
        private bool[] _rowVisited = [], _columnVisited = [];

        public void Prepare(int n, int m)
        {
            Grow(ref Cost, n * m);
            Grow(ref _u, n);
            Grow(ref _v, m);
            Grow(ref _shortestPathCosts, m);
            Grow(ref _path, m);
            Grow(ref ColumnOfRow, n);
            Grow(ref _rowOfColumn, m);
            Grow(ref _remaining, m);
            Grow(ref _rowVisited, n);
            Grow(ref _columnVisited, m);
            Array.Clear(_u, 0, n);
            Array.Clear(_v, 0, m);
            Array.Fill(_path, -1, 0, m);
            Array.Fill(ColumnOfRow, -1, 0, n);
            Array.Fill(_rowOfColumn, -1, 0, m);
        }

        /// <summary>Adds rows one at a time, each along a shortest augmenting path; false when a row cannot be placed.</summary>
        public bool Solve(int n, int m)
        {
            for (int currentRow = 0; currentRow < n; currentRow++)
            {
                int sink = AugmentingPath(n, m, currentRow, out double minValue);
                if (sink < 0)
                    return false;

                // Update the dual variables.
                _u[currentRow] += minValue;
                for (int i = 0; i < n; i++)
                    if (_rowVisited[i] && i != currentRow)
                        _u[i] += minValue - _shortestPathCosts[ColumnOfRow[i]];
                for (int j = 0; j < m; j++)
                    if (_columnVisited[j])
                        _v[j] -= minValue - _shortestPathCosts[j];

                // Flip the path's assignments back to the new row.
                int column = sink;
                while (true)
                {
                    int row = _path[column];
                    _rowOfColumn[column] = row;
                    (ColumnOfRow[row], column) = (column, ColumnOfRow[row]);
                    if (row == currentRow)
                        break;
                }
            }
            return true;
        }

        private int AugmentingPath(int n, int m, int row, out double minValue)
        {
            minValue = 0;
            int remainingCount = m;
            // Descending order, as scipy fills it (a constant matrix then gives the identity).
            for (int k = 0; k < m; k++)
                _remaining[k] = m - k - 1;
            Array.Clear(_rowVisited, 0, n);
            Array.Clear(_columnVisited, 0, m);
            Array.Fill(_shortestPathCosts, double.PositiveInfinity, 0, m);

            int sink = -1;
            while (sink == -1)
            {
                int index = -1;
                double lowest = double.PositiveInfinity;
                _rowVisited[row] = true;
                for (int k = 0; k < remainingCount; k++)
                {
                    int j = _remaining[k];
                    double reduced = minValue + Cost[row * m + j] - _u[row] - _v[j];
                    if (reduced < _shortestPathCosts[j])
                    {
                        _path[j] = row;
                        _shortestPathCosts[j] = reduced;
                    }
                    // On equal costs prefer a free column: it ends the path.
                    if (_shortestPathCosts[j] < lowest || (_shortestPathCosts[j] == lowest && _rowOfColumn[j] == -1))
                    {
                        lowest = _shortestPathCosts[j];
                        index = k;
                    }
                }

                minValue = lowest;
                if (double.IsPositiveInfinity(minValue) || index < 0)
                    return -1;
                int column = _remaining[index];
                if (_rowOfColumn[column] == -1)
                    sink = column;
                else
                    row = _rowOfColumn[column];
                _columnVisited[column] = true;
                _remaining[index] = _remaining[--remainingCount];
            }
            return sink;
        }

        private static void Grow<T>(ref T[] array, int length)
        {
            if (array.Length < length)
                array = new T[Math.Max(length, 2 * array.Length)];
        }
    }
}
