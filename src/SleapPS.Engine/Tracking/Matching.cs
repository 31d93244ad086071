namespace SleapPS.Engine.Tracking;

/// <summary>A cost matrix: rows are untracked instances, columns are tracks; row-major.</summary>
internal readonly record struct CostMatrix(double[] Cells, int Rows, int Columns)
{
    public double this[int row, int column] => Cells[row * Columns + column];

    /// <summary>numpy's <c>argmin</c> of a row: the first column with the smallest cost.</summary>
    public int ArgminOfRow(int row)
    {
        int best = 0;
        for (int j = 1; j < Columns; j++)
        {
            double value = this[row, j], current = this[row, best];
            if (value < current || (double.IsNaN(value) && !double.IsNaN(current))) best = j;
            if (double.IsNaN(this[row, best])) break;
        }
        return best;
    }
}

/// <summary>SLEAP's matching functions on a cost matrix: a list of (row, column) pairs.</summary>
internal static class Matching
{
    public static List<(int Row, int Column)> Match(MatchKind kind, CostMatrix cost) => kind switch
    {
        MatchKind.Hungarian => HungarianMatching.Solve(cost),
        _ => Greedy(cost),
    };

    /// <summary>
    /// Takes cells in ascending cost (numpy's argsort order); each taken cell removes the rest of its
    /// row and column. Infinite costs can be taken.
    /// </summary>
    public static List<(int Row, int Column)> Greedy(CostMatrix cost)
    {
        var matches = new List<(int, int)>();
        if (cost.Rows == 0 || cost.Columns == 0) return matches;
        var rowTaken = new bool[cost.Rows];
        var columnTaken = new bool[cost.Columns];
        foreach (int cell in NumpyArgsort.Argsort(cost.Cells))
        {
            int row = cell / cost.Columns, column = cell % cost.Columns;
            if (rowTaken[row] || columnTaken[column]) continue;
            rowTaken[row] = columnTaken[column] = true;
            matches.Add((row, column));
        }
        return matches;
    }
}
