namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// The per-axis interpolation table of TF's ResizeBilinear with half-pixel centres (no antialias), in float32 as TF
/// computes it: source = (i + 0.5) * (inSize / outSize) - 0.5; lower = max(floor(source), 0),
/// upper = min(ceil(source), inSize - 1), lerp = source - floor(source).
/// </summary>
internal readonly ref struct BilinearWeights
{
    public readonly Span<int> Lower;
    public readonly Span<int> Upper;
    public readonly Span<float> Lerp;

    public BilinearWeights(int inSize, int outSize, Span<int> lower, Span<int> upper, Span<float> lerp)
    {
        Lower = lower[..outSize];
        Upper = upper[..outSize];
        Lerp = lerp[..outSize];
        float scale = inSize / (float)outSize;
        for (int i = 0; i < outSize; i++)
        {
            float source = (i + 0.5f) * scale - 0.5f;
            float floor = MathF.Floor(source);
            Lower[i] = Math.Max((int)floor, 0);
            Upper[i] = Math.Min((int)MathF.Ceiling(source), inSize - 1);
            Lerp[i] = source - floor;
        }
    }
}
