namespace SleapPS.Engine.Inference.Core;

/// <summary>Grid coordinates back to image coordinates (docs/design/inference.md §7 steps 1-2), in float32 as SLEAP computes them.</summary>
public static class GridMapping
{
    /// <summary>
    /// q = p * stride, then, when the layer's input scale is not 1, q = q / inputScale + 0.5 (the +0.5 is SLEAP's for every
    /// scale, docs/design/inference.md §Q2). NaN stays NaN.
    /// </summary>
    public static float ToImage(double grid, int stride, double inputScale)
    {
        float q = (float)grid * stride;
        float scale = (float)inputScale;
        return scale == 1f ? q : q / scale + 0.5f;
    }
}
