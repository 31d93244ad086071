namespace SleapPS.Engine.Evaluation;

/// <summary>
/// How well one skeleton node was found, over all matched pairs: SLEAP's per-part PCK (pck.mPCK_parts) and the
/// distance statistics SLEAP reports overall, here for this node's column of dist.dists alone.
/// </summary>
public sealed record NodeAccuracy(
    string Node,
    int Index,
    double MeanPck,
    double DistanceAverage,
    double DistanceP50,
    double DistanceP75,
    double DistanceP90,
    double DistanceP95,
    double DistanceP99,
    int LocalizedCount,
    int PairCount)
{
    public override string ToString() => $"{Node}: mPCK {MeanPck:0.###}, median error {DistanceP50:0.##} px";
}
