using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// The line-integral score of a candidate connection (SLEAP's <c>make_line_subs</c>, <c>get_paf_lines</c>,
/// <c>score_paf_lines</c>, <c>compute_distance_penalty</c>; docs/design/inference.md §10.3), in float32 as SLEAP computes it.
/// </summary>
/// <remarks>
/// Samples along the line are read from the part affinity fields by nearest neighbour with round-half-to-even
/// (TensorFlow's <c>round</c>), without interpolation (docs/design/inference.md §Q7). SLEAP does not guard indices that fall outside the
/// map (TensorFlow errors on CPU and reads zeros on GPU); here they are clamped to the nearest edge cell. Peaks lie
/// inside the map, so this only matters for peaks refined past its last row or column (sleap-nn clamps too).
/// The samples are placed as tf.linspace places them, or for sleap-nn models as its interp1d does
/// (<see cref="PafLineSampling"/>; docs/design/sleap-nn-inference.md §7).
/// </remarks>
public sealed class PafLineScorer
{
    /// <param name="linePoints">Samples per line, both ends included (<c>paf_line_points</c>, at least 2).</param>
    /// <param name="pafStride">Image pixels per PAF grid cell.</param>
    /// <param name="maxEdgeLength">Longest connection, in image pixels, before it is penalised (see <see cref="MaxEdgeLength"/>).</param>
    /// <param name="distPenaltyWeight">Weight of the distance penalty.</param>
    /// <param name="sampling">How the samples are placed along the line: SLEAP 1.4's tf.linspace or sleap-nn's interp1d.</param>
    public PafLineScorer(int linePoints, int pafStride, float maxEdgeLength, float distPenaltyWeight, PafLineSampling sampling = PafLineSampling.Linspace)
    {
        if (linePoints < 2)
            throw new ArgumentOutOfRangeException(nameof(linePoints), linePoints, "A line needs at least its two ends.");
        if (pafStride < 1)
            throw new ArgumentOutOfRangeException(nameof(pafStride), pafStride, "The PAF stride must be at least 1.");
        LinePoints = linePoints;
        PafStride = pafStride;
        MaxEdgeLengthPixels = maxEdgeLength;
        DistPenaltyWeight = distPenaltyWeight;
        Sampling = sampling;
        // sleap-nn's sample fractions, torch.linspace(0, 1, n) in float32: step = 1/(n − 1), the first half counted up
        // from 0 (l · step), the rest down from 1 (1 − (n − 1 − l) · step).
        _fractions = new float[linePoints];
        float step = 1f / (linePoints - 1);
        for (int l = 0; l < linePoints; l++)
            _fractions[l] = l < linePoints / 2 ? l * step : 1f - step * (linePoints - 1 - l);
    }

    /// <summary>1 + ε (float32's 2^-23): sleap-nn's interp1d divides each segment's rise by its run plus ε (a run of 1 here).</summary>
    private const float Interp1dRun = 1.00000012f;

    private readonly float[] _fractions;

    public PafLineSampling Sampling { get; }

    public int LinePoints { get; }

    public int PafStride { get; }

    public float MaxEdgeLengthPixels { get; }

    public float DistPenaltyWeight { get; }

    /// <summary>
    /// SLEAP's <c>max_edge_length = ratio · max(H_paf, W_paf, 2E) · s_p</c>: the maximum runs over the whole shape of one
    /// frame's PAF tensor, its channel count included (docs/design/inference.md §Q5).
    /// </summary>
    public static float MaxEdgeLength(double ratio, int pafHeight, int pafWidth, int pafChannels, int pafStride) =>
        (float)ratio * Math.Max(Math.Max(pafHeight, pafWidth), pafChannels) * (float)pafStride;

    /// <summary><c>min(maxEdgeLength / length − 1, 0) · weight</c>: 0 up to the maximum length, towards −weight beyond it.</summary>
    public static float DistancePenalty(float length, float maxEdgeLength, float weight) =>
        MathF.Min(maxEdgeLength / length - 1f, 0f) * weight;

    /// <summary>
    /// The PAF cell (row, column) of sample <paramref name="sample"/> of the line from a to b (image pixels):
    /// <c>round((a + l·(b − a)/(n − 1)) / s_p)</c> per coordinate, half to even, clamped into the map.
    /// </summary>
    public (int Row, int Col) SampleCell(float ax, float ay, float bx, float by, int sample, int pafHeight, int pafWidth)
    {
        float x = Interpolate(ax, bx, sample), y = Interpolate(ay, by, sample);
        int col = (int)MathF.Round(x / PafStride, MidpointRounding.ToEven);
        int row = (int)MathF.Round(y / PafStride, MidpointRounding.ToEven);
        return (Math.Clamp(row, 0, pafHeight - 1), Math.Clamp(col, 0, pafWidth - 1));
    }

    /// <summary>
    /// The mean of <c>P · u</c> over the line's samples (P = the edge's PAF vector, channels 2k and 2k+1; u = the unit
    /// vector from a to b) plus the distance penalty. NaN when a = b (SLEAP divides by the zero length).
    /// </summary>
    /// <param name="pafs">One frame's part affinity fields, HWC.</param>
    public float Score(ReadOnlySpan<float> pafs, int pafHeight, int pafWidth, int pafChannels, int edge, float ax, float ay, float bx, float by)
    {
        float dx = bx - ax, dy = by - ay;
        float length = MathF.Sqrt(dx * dx + dy * dy);
        float ux = dx / length, uy = dy / length;
        int channel = 2 * edge;
        float sum = 0f;
        for (int l = 0; l < LinePoints; l++)
        {
            var (row, col) = SampleCell(ax, ay, bx, by, l, pafHeight, pafWidth);
            int at = (row * pafWidth + col) * pafChannels + channel;
            sum += pafs[at] * ux + pafs[at + 1] * uy;
        }
        float mean = sum / LinePoints;
        return mean + DistancePenalty(length, MaxEdgeLengthPixels, DistPenaltyWeight);
    }

    // tf.linspace: the ends exactly, the inner samples as start + l·delta with delta = (stop − start)/(n − 1), in float32.
    // sleap-nn's interp1d: start + slope·t with slope = (stop − start)/(1 + ε) and t its linspace fraction, so even the
    // last sample falls a hair short of stop.
    private float Interpolate(float start, float stop, int sample)
    {
        if (Sampling == PafLineSampling.Interp1d)
            return start + (stop - start) / Interp1dRun * _fractions[sample];
        if (sample == 0)
            return start;
        if (sample == LinePoints - 1)
            return stop;
        float delta = (stop - start) / (LinePoints - 1);
        return start + delta * sample;
    }
}
