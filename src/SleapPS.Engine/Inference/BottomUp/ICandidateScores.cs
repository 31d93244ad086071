namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>Line scores of candidate connections computed elsewhere (a sleap-nn export's graph), for <see cref="PafGrouper.GroupScored"/>.</summary>
public interface ICandidateScores
{
    /// <summary>The line score of the candidate joining two of the frame's peaks (indices into its peaks) along an edge.</summary>
    float Score(int edge, int sourcePeak, int destinationPeak);
}
