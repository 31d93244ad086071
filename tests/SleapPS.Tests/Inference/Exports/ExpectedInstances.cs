using SleapPS.Engine.Data;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.Exports;

/// <summary>One instance as a fixture export's outputs imply it: (x, y) per node (NaN when missing), node scores, score.</summary>
public sealed record ExpectedInstance(double[] X, double[] Y, double[] PointScores, double Score);

/// <summary>
/// The instances each fixture export's expected_outputs.npz implies, worked out here from the arrays alone, with the rules
/// of docs/design/sleap-nn-exports.md §3 (threshold 0.2 as baked in, no max instances).
/// </summary>
public static class ExpectedInstances
{
    private const double Threshold = 0.2;
    private const double MinLineScore = 0.25;

    public static List<ExpectedInstance> Of(string name, int frame)
    {
        var npz = ExportFixtures.Expected(name);
        return name switch
        {
            ExportFixtures.Centroid => Centroids(npz, frame),
            ExportFixtures.TopDown or ExportFixtures.TopDownMultiClass => TopDown(npz, frame),
            ExportFixtures.SingleInstance => [SingleInstance(npz, frame)],
            ExportFixtures.BottomUp => BottomUpOneEdge(npz, frame),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    /// <summary>Each valid slot: its centroid as the one node of the 'centroid' skeleton, scored by its value.</summary>
    private static List<ExpectedInstance> Centroids(IReadOnlyDictionary<string, NpyArray> npz, int b)
    {
        var (xy, values, valid) = (npz["centroids"], npz["centroid_vals"], npz["instance_valid"]);
        return Enumerable.Range(0, values.Shape[1]).Where(k => valid[b, k] != 0)
            .Select(k => new ExpectedInstance([xy[b, k, 0]], [xy[b, k, 1]], [values[b, k]], values[b, k])).ToList();
    }

    /// <summary>Each valid slot with at least one node found: the peaks, scored by the centroid's value.</summary>
    private static List<ExpectedInstance> TopDown(IReadOnlyDictionary<string, NpyArray> npz, int b)
    {
        var (peaks, peakValues, centroidValues, valid) = (npz["peaks"], npz["peak_vals"], npz["centroid_vals"], npz["instance_valid"]);
        int slots = valid.Shape[1], nodes = peaks.Shape[2];
        var result = new List<ExpectedInstance>();
        for (int k = 0; k < slots; k++)
        {
            if (valid[b, k] == 0) continue;
            var x = Enumerable.Range(0, nodes).Select(n => peaks[b, k, n, 0]).ToArray();
            if (x.All(double.IsNaN)) continue;
            result.Add(new ExpectedInstance(x, Enumerable.Range(0, nodes).Select(n => peaks[b, k, n, 1]).ToArray(),
                Enumerable.Range(0, nodes).Select(n => double.IsNaN(x[n]) ? 0 : peakValues[b, k, n]).ToArray(), centroidValues[b, k]));
        }
        return result;
    }

    /// <summary>The frame's peaks, scored by the sum of the node values.</summary>
    private static ExpectedInstance SingleInstance(IReadOnlyDictionary<string, NpyArray> npz, int b)
    {
        var (peaks, values) = (npz["peaks"], npz["peak_vals"]);
        int nodes = peaks.Shape[1];
        var scores = Enumerable.Range(0, nodes).Select(n => values[b, n]).ToArray();
        return new ExpectedInstance(Enumerable.Range(0, nodes).Select(n => peaks[b, n, 0]).ToArray(),
            Enumerable.Range(0, nodes).Select(n => peaks[b, n, 1]).ToArray(), scores, scores.Sum());
    }

    /// <summary>
    /// A one-edge skeleton (A → B): the assignment of source to destination peaks with the largest summed line score
    /// (tried exhaustively), pairs below min_line_scores dropped, one instance per pair in source-slot order.
    /// </summary>
    private static List<ExpectedInstance> BottomUpOneEdge(IReadOnlyDictionary<string, NpyArray> npz, int b)
    {
        var (peaks, values, mask, lineScores) = (npz["peaks"], npz["peak_vals"], npz["peak_mask"], npz["line_scores"]);
        Assert.Equal(2, peaks.Shape[1]);
        Assert.Equal(1, lineScores.Shape[1]);
        int k = peaks.Shape[2];
        var sources = Enumerable.Range(0, k).Where(i => mask[b, 0, i] != 0 && values[b, 0, i] > Threshold).ToArray();
        var destinations = Enumerable.Range(0, k).Where(j => mask[b, 1, j] != 0 && values[b, 1, j] > Threshold).ToArray();
        Assert.True(sources.Length <= destinations.Length, "this check handles at most as many sources as destinations");

        (double Total, int[] Pairs) best = (double.NegativeInfinity, []);
        foreach (var chosen in Permutations(destinations, sources.Length))
        {
            double total = sources.Select((i, r) => lineScores[b, 0, i * k + chosen[r]]).Sum();
            if (total > best.Total) best = (total, chosen);
        }
        var result = new List<ExpectedInstance>();
        for (int r = 0; r < sources.Length; r++)
        {
            int i = sources[r], j = best.Pairs[r];
            double score = lineScores[b, 0, i * k + j];
            if (score < MinLineScore) continue;
            result.Add(new ExpectedInstance([peaks[b, 0, i, 0], peaks[b, 1, j, 0]], [peaks[b, 0, i, 1], peaks[b, 1, j, 1]],
                [values[b, 0, i], values[b, 1, j]], score));
        }
        return result;
    }

    private static IEnumerable<int[]> Permutations(int[] items, int length)
    {
        if (length == 0) { yield return []; yield break; }
        foreach (int item in items)
            foreach (var rest in Permutations(items.Where(i => i != item).ToArray(), length - 1))
                yield return [item, .. rest];
    }

    /// <summary>Asserts predicted instances against expected ones, in order: points within 0.01 px, scores within 1e-4; returns the largest deviations.</summary>
    public static (double Points, double Scores) AssertMatch(IReadOnlyList<ExpectedInstance> expected, IReadOnlyList<Instance> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        double points = 0, scores = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            var (want, got) = (expected[i], Assert.IsType<PredictedInstance>(actual[i]));
            Assert.Equal(want.X.Length, got.Points.Length);
            for (int n = 0; n < want.X.Length; n++)
            {
                var point = got.Points[n];
                if (double.IsNaN(want.X[n]))
                {
                    Assert.False(point.IsPresent);
                    continue;
                }
                points = Math.Max(points, Math.Max(Math.Abs(point.X - want.X[n]), Math.Abs(point.Y - want.Y[n])));
                scores = Math.Max(scores, Math.Abs(point.Score - want.PointScores[n]));
            }
            scores = Math.Max(scores, Math.Abs(got.Score - want.Score));
        }
        Assert.InRange(points, 0, 0.01);
        Assert.InRange(scores, 0, 1e-4);
        return (points, scores);
    }
}
