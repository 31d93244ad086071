using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference;

/// <summary>
/// One frame's output maps of one head (confidence maps, part affinity fields, class maps), HWC float32, as
/// SLEAP's <c>return_confmaps</c> / <c>return_pafs</c> give them. <paramref name="Stride"/> is input pixels per grid cell.
/// </summary>
public sealed record NamedMaps(string Name, int Height, int Width, int Channels, int Stride, float[] Data)
{
    /// <summary>Copies sample <paramref name="sample"/> of a model output.</summary>
    public static NamedMaps FromSample(string name, MapView maps, int sample, int stride) =>
        new(name, maps.Height, maps.Width, maps.Channels, stride, maps.Sample(sample).AsSpan().ToArray());
}
