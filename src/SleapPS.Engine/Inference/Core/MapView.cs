namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// A read-only NHWC float32 view over model output (or any batch of maps): element (b, y, x, c) is
/// <c>Data[Offset + ((b * Height + y) * Width + x) * Channels + c]</c>. Valid as long as its array is not reused
/// (a <see cref="ModelRunner"/>'s outputs stay valid until its next run).
/// </summary>
public readonly struct MapView
{
    public MapView(float[] data, int offset, int batch, int height, int width, int channels)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (offset < 0 || batch < 0 || height < 0 || width < 0 || channels < 0 ||
            (long)offset + (long)batch * height * width * channels > data.Length)
            throw new ArgumentException($"A {batch}x{height}x{width}x{channels} view at offset {offset} does not fit in {data.Length} floats.", nameof(data));
        Data = data;
        Offset = offset;
        Batch = batch;
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>A view over a whole array holding one batch.</summary>
    public MapView(float[] data, int batch, int height, int width, int channels) : this(data, 0, batch, height, width, channels) { }

    public float[] Data { get; }

    public int Offset { get; }

    public int Batch { get; }

    public int Height { get; }

    public int Width { get; }

    public int Channels { get; }

    /// <summary>Floats per sample (Height * Width * Channels).</summary>
    public int SampleLength => Height * Width * Channels;

    /// <summary>Floats in the whole view.</summary>
    public int Length => Batch * SampleLength;

    /// <summary>The value at sample <paramref name="b"/>, row <paramref name="y"/>, column <paramref name="x"/>, channel <paramref name="c"/>.</summary>
    public float At(int b, int y, int x, int c) => Data[Offset + ((b * Height + y) * Width + x) * Channels + c];

    /// <summary>Index into <see cref="Data"/> of element (b, y, x, c).</summary>
    public int IndexOf(int b, int y, int x, int c) => Offset + ((b * Height + y) * Width + x) * Channels + c;

    /// <summary>Sample <paramref name="b"/> alone, as a batch of one.</summary>
    public MapView Sample(int b)
    {
        if ((uint)b >= (uint)Batch)
            throw new ArgumentOutOfRangeException(nameof(b), b, $"The view holds {Batch} sample(s).");
        return new MapView(Data, Offset + b * SampleLength, 1, Height, Width, Channels);
    }

    /// <summary>The view's floats, in NHWC order.</summary>
    public ReadOnlySpan<float> AsSpan() => new(Data, Offset, Length);

    public override string ToString() => $"MapView {Batch}x{Height}x{Width}x{Channels}";
}
