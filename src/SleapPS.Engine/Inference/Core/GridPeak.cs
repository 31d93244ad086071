namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// A peak on a head's output grid: the integer grid position (<paramref name="Row"/> = y, <paramref name="Col"/> = x)
/// and the map value there (docs/design/inference.md §6.3). A global peak below the threshold has Row = Col = -1 and keeps its
/// value (docs/design/inference.md §6.1, docs/design/inference.md §Q3).
/// </summary>
public readonly record struct GridPeak(int Sample, int Channel, int Row, int Col, float Value)
{
    /// <summary>False for a below-threshold global peak (SLEAP's NaN point).</summary>
    public bool Found => Row >= 0;
}
