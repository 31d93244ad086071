using SleapPS.Engine.Inference.Core;

namespace SleapPS.Tests.Inference.Core;

/// <summary>
/// Confidence maps built as SLEAP's tests build them (make_confmaps / make_multi_confmaps): unnormalised Gaussians
/// exp(-((x - px)^2 + (y - py)^2) / (2 sigma^2)) on a stride-1 grid, one channel per node, the maximum over instances,
/// NaN points left out. Computed in float32, as TF does.
/// </summary>
internal static class SyntheticMaps
{
    /// <summary>samples[b][instance][node] = (x, y); returns an NHWC view with one channel per node.</summary>
    public static MapView Build(int height, int width, float sigma, params (float X, float Y)[][][] samples)
    {
        int nodes = samples.SelectMany(s => s).Select(i => i.Length).DefaultIfEmpty(0).Max();
        var data = new float[samples.Length * height * width * nodes];
        var view = new MapView(data, samples.Length, height, width, nodes);
        for (int b = 0; b < samples.Length; b++)
            foreach (var instance in samples[b])
                for (int c = 0; c < instance.Length; c++)
                {
                    var (px, py) = instance[c];
                    if (float.IsNaN(px))
                        continue;
                    for (int y = 0; y < height; y++)
                        for (int x = 0; x < width; x++)
                        {
                            float dx = x - px, dy = y - py;
                            float v = MathF.Exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                            int at = view.IndexOf(b, y, x, c);
                            data[at] = MathF.Max(data[at], v);
                        }
                }
        return view;
    }

    /// <summary>One sample holding one instance with the given node points.</summary>
    public static MapView Single(int height, int width, float sigma, params (float X, float Y)[] points) =>
        Build(height, width, sigma, [points]);
}
