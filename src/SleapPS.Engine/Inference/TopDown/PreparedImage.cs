namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// A frame as SLEAP's data pipeline hands it to the inference model (after SizeMatcher and Normalizer, docs/design/inference.md §3.2):
/// HWC uint8 pixels and the SizeMatcher scale that predictions are divided by at the end (docs/design/inference.md §7 step 4).
/// </summary>
internal readonly record struct PreparedImage(byte[] Pixels, int Height, int Width, int Channels, float Scale)
{
    public int ByteCount => Height * Width * Channels;

    public ReadOnlySpan<byte> Span => new(Pixels, 0, ByteCount);

    public bool SameSize(in PreparedImage other) => Height == other.Height && Width == other.Width && Channels == other.Channels;
}
