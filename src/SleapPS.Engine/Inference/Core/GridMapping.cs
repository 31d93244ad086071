namespace SleapPS.Engine.Inference.Core;

/// <summary>Grid coordinates back to image coordinates (inference.md §7 steps 1-2), in float32 as SLEAP computes them.</summary>
public static class GridMapping
{
    /// <summary>q = p * stride; if inputScale != 1, q = q / inputScale + 0.5 (quirk Q2).</summary>
    public static float ToImage(double grid, int stride, double inputScale) => throw new NotImplementedException();
}
