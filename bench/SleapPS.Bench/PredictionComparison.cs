using SleapPS.Engine.Inference;

/// <summary>
/// How far one run's predictions are from another's on the same frames: instances are paired within each frame (each
/// reference instance with the nearest unpaired candidate by mean distance over the nodes both found), then the distance
/// of every node found by both is taken, in frame pixels (docs/design/gpu.md §8).
/// </summary>
/// <param name="MaxPixels">The largest node distance (0 when no node was found by both).</param>
/// <param name="MeanPixels">The mean node distance.</param>
/// <param name="Points">Nodes found by both runs.</param>
/// <param name="Unmatched">Instances or nodes one run found and the other did not (frames with different instance counts count their extra instances).</param>
internal sealed record PredictionComparison(double MaxPixels, double MeanPixels, int Points, int Unmatched)
{
    public static PredictionComparison Of(IReadOnlyList<FramePrediction> reference, IReadOnlyList<FramePrediction> candidate)
    {
        if (reference.Count != candidate.Count)
            return new PredictionComparison(double.PositiveInfinity, double.PositiveInfinity, 0, Math.Abs(reference.Count - candidate.Count));
        double max = 0, sum = 0;
        int points = 0, unmatched = 0;
        for (int f = 0; f < reference.Count; f++)
        {
            var left = reference[f].Instances;
            var right = candidate[f].Instances.ToList();
            unmatched += Math.Abs(left.Count - right.Count);
            foreach (var instance in left)
            {
                if (right.Count == 0) break;
                var nearest = right.MinBy(other => MeanDistance(instance.Points, other.Points))!;
                right.Remove(nearest);
                for (int n = 0; n < instance.Points.Length; n++)
                {
                    var (a, b) = (instance.Points[n], nearest.Points[n]);
                    bool foundA = !double.IsNaN(a.X), foundB = !double.IsNaN(b.X);
                    if (foundA != foundB) unmatched++;
                    if (!foundA || !foundB) continue;
                    double d = Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
                    max = Math.Max(max, d);
                    sum += d;
                    points++;
                }
            }
        }
        return new PredictionComparison(max, points == 0 ? 0 : sum / points, points, unmatched);
    }

    private static double MeanDistance(SleapPS.Engine.Data.Point[] a, SleapPS.Engine.Data.Point[] b)
    {
        double sum = 0;
        int count = 0;
        for (int n = 0; n < a.Length; n++)
        {
            if (double.IsNaN(a[n].X) || double.IsNaN(b[n].X)) continue;
            sum += Math.Sqrt((a[n].X - b[n].X) * (a[n].X - b[n].X) + (a[n].Y - b[n].Y) * (a[n].Y - b[n].Y));
            count++;
        }
        return count == 0 ? double.MaxValue : sum / count;
    }

    public override string ToString() =>
        $"max {MaxPixels:0.0000} px, mean {MeanPixels:0.0000} px over {Points} points, {Unmatched} unmatched";
}
