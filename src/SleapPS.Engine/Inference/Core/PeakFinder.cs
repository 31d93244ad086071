namespace SleapPS.Engine.Inference.Core;

/// <summary>SLEAP's rough peak finding on confidence maps (inference.md §6.1, §6.2).</summary>
public static class PeakFinder
{
    /// <summary>
    /// One peak per (sample, channel), written at index <c>sample * Channels + channel</c> of <paramref name="result"/>
    /// (find_global_peaks_rough).
    /// </summary>
    public static void FindGlobal(MapView maps, float threshold, Span<GridPeak> result) => throw new NotImplementedException();

    /// <summary>Appends the local peaks of every sample and channel, in (sample, row, col, channel) order (find_local_peaks_rough).</summary>
    public static void FindLocal(MapView maps, float threshold, List<GridPeak> result) => throw new NotImplementedException();
}
