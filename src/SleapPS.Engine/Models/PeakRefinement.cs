namespace SleapPS.Engine.Models;

/// <summary>How peaks are refined below the output grid (docs/design/inference.md §6.4).</summary>
public enum PeakRefinement
{
    /// <summary>Integral regression over a small patch around each peak (SLEAP's default).</summary>
    Integral,
    /// <summary>Quarter-pixel step towards the larger neighbour.</summary>
    Local,
    /// <summary>Grid peaks only.</summary>
    None,
}
