using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.SleapNn;

/// <summary>
/// sleap-nn's identity assignment for multi-class top-down models (docs/design/sleap-nn-inference.md §9): the crops of
/// one frame are matched to classes by a linear assignment on −probability of their class vectors; every crop keeps its
/// own instance (slot = crop), gets the class it was matched to (none when there are more crops than classes) and that
/// class's probability as tracking score. Unlike SLEAP 1.4 no match is dropped for not being the crop's most probable
/// class. Reuses its buffers from frame to frame.
/// </summary>
internal sealed class SleapNnClassVectors
{
    private double[] _cost = [];
    private int[] _rowToColumn = [];

    /// <summary>
    /// Assigns <paramref name="crops"/> crops (rows of <paramref name="probabilities"/>, <paramref name="classCount"/>
    /// per row) to classes: <paramref name="classOf"/>[i] is crop i's class or −1, <paramref name="probabilityOf"/>[i]
    /// the probability of that class for the crop (NaN when none).
    /// </summary>
    public void Assign(ReadOnlySpan<float> probabilities, int crops, int classCount, Span<int> classOf, Span<float> probabilityOf)
    {
        if (probabilities.Length < crops * classCount)
            throw new ArgumentException($"Expected {crops}x{classCount} class probabilities, got {probabilities.Length}.", nameof(probabilities));
        classOf[..crops].Fill(-1);
        probabilityOf[..crops].Fill(float.NaN);
        if (crops == 0 || classCount == 0)
            return;
        var cost = Growable.Ensure(ref _cost, crops * classCount).AsSpan(0, crops * classCount);
        var rowToColumn = Growable.Ensure(ref _rowToColumn, crops).AsSpan(0, crops);
        for (int i = 0; i < cost.Length; i++)
            cost[i] = -(double)probabilities[i];
        LinearAssignment.TrySolve(cost, crops, classCount, rowToColumn);
        for (int crop = 0; crop < crops; crop++)
        {
            int cls = rowToColumn[crop];
            if (cls < 0)
                continue;
            classOf[crop] = cls;
            probabilityOf[crop] = probabilities[crop * classCount + cls];
        }
    }
}
