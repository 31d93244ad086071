namespace SleapPS.Engine.Trajectories;

/// <summary>The smoothing filters (docs/design/trajectories.md §5).</summary>
public enum SmoothingMethod
{
    /// <summary>The median of the window around each frame.</summary>
    Median,
    /// <summary>A least-squares polynomial of <see cref="SmoothingOptions.PolyOrder"/> fitted to the window, evaluated at the frame.</summary>
    SavitzkyGolay,
}

/// <summary>How to smooth: the filter, its window in frames (odd) and, for Savitzky-Golay, the polynomial order.</summary>
public sealed record SmoothingOptions(SmoothingMethod Method, int Window, int PolyOrder = 2)
{
    internal void Check()
    {
        if (Window < 3 || Window % 2 == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The smoothing window is {Window} frames; give an odd number of 3 or more, so that the window is centred on its frame.");
        if (Method == SmoothingMethod.SavitzkyGolay && (PolyOrder < 0 || PolyOrder >= Window))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The polynomial order is {PolyOrder}; it must be 0 or more and less than the window ({Window} frames).");
    }
}
