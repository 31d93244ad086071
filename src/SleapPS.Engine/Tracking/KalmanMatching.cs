namespace SleapPS.Engine.Tracking;

/// <summary>
/// The matching of SLEAP's Kalman tracker (<c>sleap/nn/tracker/kalman.py</c>) on a cost matrix whose
/// rows are instances and columns are tracks, NaN for "no match". numpy's NaN rules are kept on
/// purpose: a row or column holding any NaN has a NaN minimum and a NaN argmin, which switches the
/// checks below off for it (upstream behaviour that changes which matches survive).
/// </summary>
internal static class KalmanMatching
{
    /// <summary>
    /// SLEAP's <c>remove_second_bests_from_cost_matrix</c>: a column whose second-best cost is below
    /// its best + <paramref name="threshold"/> is cleared (NaN), then so is every row whose best
    /// cell was cleared or whose second-best is below its best + threshold.
    /// </summary>
    public static CostMatrix RemoveUnclearMatches(CostMatrix cost, double threshold)
    {
        var valid = new bool[cost.Cells.Length];
        Array.Fill(valid, true);
        for (int c = 0; c < cost.Columns; c++)
        {
            bool allNaN = true;
            double min = double.PositiveInfinity;
            for (int r = 0; r < cost.Rows; r++)
            {
                double value = cost[r, c];
                if (!double.IsNaN(value)) allNaN = false;
                min = double.IsNaN(value) || double.IsNaN(min) ? double.NaN : Math.Min(min, value);
            }
            if (allNaN) continue;
            if (CountBelow(r => cost[r, c], cost.Rows, min + threshold) > 1)
                for (int r = 0; r < cost.Rows; r++) valid[r * cost.Columns + c] = false;
        }
        for (int r = 0; r < cost.Rows; r++)
        {
            bool allNaN = true;
            for (int c = 0; c < cost.Columns; c++)
                if (!double.IsNaN(cost[r, c])) allNaN = false;
            if (allNaN) continue;
            int best = cost.ArgminOfRow(r);
            bool bestStillValid = valid[r * cost.Columns + best];
            if (CountBelow(c => cost[r, c], cost.Columns, cost[r, best] + threshold) > 1 || !bestStillValid)
                for (int c = 0; c < cost.Columns; c++) valid[r * cost.Columns + c] = false;
        }
        var cells = (double[])cost.Cells.Clone();
        for (int i = 0; i < cells.Length; i++)
            if (!valid[i]) cells[i] = double.NaN;
        return cost with { Cells = cells };
    }

    /// <summary>
    /// SLEAP's <c>get_track_instance_matches</c>: greedy matching over the finite cells, where a match
    /// is dropped when its track was the isolated best of another instance and the two instances are
    /// too close (<paramref name="tooClose"/>(matched row, competing row)). A row's isolated best is
    /// its argmin, counted only when finite; a track's isolated best instance is the row with the
    /// lowest such cost (the first on ties).
    /// </summary>
    public static List<(int Row, int Column)> Match(CostMatrix cost, Func<int, int, bool> tooClose)
    {
        var bestRowOfColumn = new Dictionary<int, int>();
        for (int r = 0; r < cost.Rows; r++)
        {
            if (cost.Columns == 0) break;
            int c = cost.ArgminOfRow(r);
            double value = cost[r, c];
            if (!double.IsFinite(value)) continue;
            if (!bestRowOfColumn.TryGetValue(c, out int current) || value < cost[current, c]) bestRowOfColumn[c] = r;
        }
        var matches = new List<(int, int)>();
        foreach (var (row, column) in Matching.Greedy(cost))
        {
            if (!double.IsFinite(cost[row, column])) continue;
            if (bestRowOfColumn.TryGetValue(column, out int competing) && competing != row && tooClose(row, competing)) continue;
            matches.Add((row, column));
        }
        return matches;
    }

    private static int CountBelow(Func<int, double> valueAt, int count, double limit)
    {
        int below = 0;
        for (int i = 0; i < count; i++)
            if (valueAt(i) < limit) below++;
        return below;
    }
}
