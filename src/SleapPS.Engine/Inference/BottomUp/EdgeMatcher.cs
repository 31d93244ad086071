using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// Matches the source and destination peaks of one edge by their line scores (SLEAP's <c>match_candidates_sample</c>,
/// docs/design/inference.md §10.4): a rectangular linear assignment on −score with NaN as forbidden, which pairs min(sources,
/// destinations) peaks whatever their scores. Filtering by <c>min_line_scores</c> is the caller's next step.
/// Its cost and result buffers are reused from edge to edge and frame to frame.
/// </summary>
public sealed class EdgeMatcher
{
    // Only used where SLEAP itself fails: see Match.
    private const double StandInForForbidden = 1e6;

    private double[] _cost = new double[64];
    private int[] _rowToColumn = new int[16];

    /// <summary>
    /// Matches one edge. <paramref name="scores"/> is its row-major (sources × destinations) block of line scores;
    /// the pairs are written in increasing source order as (index within the source node, index within the
    /// destination node, score). Returns the number of pairs.
    /// </summary>
    /// <remarks>
    /// A NaN score (a candidate whose two peaks coincide) cannot be matched. When NaNs leave no complete assignment,
    /// scipy raises and SLEAP's whole run fails; here NaNs then count as a very high cost and the pairs that land on
    /// them are dropped, so the frame keeps its other matches.
    /// </remarks>
    public int Match(ReadOnlySpan<float> scores, int sources, int destinations,
        Span<int> matchedSource, Span<int> matchedDestination, Span<float> matchedScores)
    {
        if (scores.Length != sources * destinations)
            throw new ArgumentException($"Expected {sources}x{destinations} scores, got {scores.Length}.", nameof(scores));
        if (sources == 0 || destinations == 0)
            return 0;
        if (_cost.Length < scores.Length)
            _cost = new double[Math.Max(scores.Length, _cost.Length * 2)];
        if (_rowToColumn.Length < sources)
            _rowToColumn = new int[Math.Max(sources, _rowToColumn.Length * 2)];
        var cost = _cost.AsSpan(0, scores.Length);
        var rowToColumn = _rowToColumn.AsSpan(0, sources);

        for (int i = 0; i < scores.Length; i++)
            cost[i] = float.IsNaN(scores[i]) ? double.PositiveInfinity : -(double)scores[i];
        if (!LinearAssignment.TrySolve(cost, sources, destinations, rowToColumn))
        {
            for (int i = 0; i < scores.Length; i++)
                if (double.IsPositiveInfinity(cost[i]))
                    cost[i] = StandInForForbidden;
            LinearAssignment.TrySolve(cost, sources, destinations, rowToColumn);
        }

        int count = 0;
        for (int row = 0; row < sources; row++)
        {
            int column = rowToColumn[row];
            if (column < 0 || float.IsNaN(scores[row * destinations + column]))
                continue;
            matchedSource[count] = row;
            matchedDestination[count] = column;
            matchedScores[count] = scores[row * destinations + column];
            count++;
        }
        return count;
    }
}
