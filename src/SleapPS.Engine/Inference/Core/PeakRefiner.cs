using SleapPS.Engine.Models;

namespace SleapPS.Engine.Inference.Core;

/// <summary>SLEAP's sub-pixel refinement of rough peaks (inference.md §6.4).</summary>
public static class PeakRefiner
{
    /// <summary>The refined peak (x, y) = (col + dx, row + dy) in grid units; NaN for a peak that was not found.</summary>
    public static (double X, double Y) Refine(in GridPeak peak, MapView confmaps, MapView? offsets, PeakRefinement mode, int integralPatchSize) =>
        throw new NotImplementedException();
}
