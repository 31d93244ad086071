using SleapPS.Engine.Inference.BottomUp;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// The line scores a bottom-up export computed for one frame (docs/design/sleap-nn-exports.md §3.5), looked up for the
/// grouping: <c>line_scores</c> (B, E, k·k) holds edge e's candidate (source slot i, destination slot j) at i·k + j,
/// where a slot is a peak's place among its node's top-k peaks. A pair the export did not mark in
/// <c>candidate_mask</c> is NaN, which the matching never pairs.
/// </summary>
internal sealed class ExportLineScores : ICandidateScores
{
    private float[] _scores = [];
    private bool[] _candidates = [];
    private int _offset;
    private int _slotsPerNode;
    private int[] _slotOfPeak = [];

    /// <summary>Points the lookup at one sample of a run; <paramref name="slotOfPeak"/> gives each of the frame's peaks its slot.</summary>
    public void Use(ExportOutputs outputs, int sample, int edgeCount, int slotsPerNode, int[] slotOfPeak)
    {
        var scores = outputs.Get("line_scores");
        _scores = scores.Floats;
        _candidates = outputs.Get("candidate_mask").Bools;
        _slotsPerNode = slotsPerNode;
        _offset = sample * edgeCount * slotsPerNode * slotsPerNode;
        _slotOfPeak = slotOfPeak;
    }

    public float Score(int edge, int sourcePeak, int destinationPeak)
    {
        int k = _slotsPerNode;
        int at = _offset + edge * k * k + _slotOfPeak[sourcePeak] * k + _slotOfPeak[destinationPeak];
        return _candidates[at] ? _scores[at] : float.NaN;
    }
}
