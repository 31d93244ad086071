using Microsoft.ML.OnnxRuntime.Tensors;

namespace SleapPS.Tests.Support;

/// <summary>
/// sleap-nn's recorded tensors (expected_outputs.npz and the like: NCHW, the input uint8) next to the NHWC float32
/// tensors of a graph SleapPS built: the input converted as SleapPS's ModelRunner feeds it, and the largest deviation of
/// an output.
/// </summary>
internal static class SleapNnTensors
{
    /// <summary>The uint8 NCHW network input sleap-nn was given, as SleapPS's graph takes it: float32 /255, NHWC.</summary>
    public static DenseTensor<float> NhwcUnitFromUint8Nchw(NpyArray input)
    {
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        var tensor = new DenseTensor<float>([n, h, w, c]);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        tensor[b, y, x, ch] = (float)input[b, ch, y, x] / 255f;
        return tensor;
    }

    /// <summary>
    /// The largest |actual − reference| of one head's output, the shapes asserted to agree: a 4-D reference is NCHW
    /// against the graph's NHWC; any other rank (class vectors) is compared element by element in order.
    /// </summary>
    public static double MaxDeviation(NpyArray reference, Tensor<float> actual)
    {
        double max = 0;
        if (reference.Shape.Length == 4)
        {
            int n = reference.Shape[0], c = reference.Shape[1], h = reference.Shape[2], w = reference.Shape[3];
            Assert.Equal([n, h, w, c], actual.Dimensions.ToArray());
            for (int b = 0; b < n; b++)
                for (int ch = 0; ch < c; ch++)
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++)
                            max = Math.Max(max, Math.Abs(actual[b, y, x, ch] - reference[b, ch, y, x]));
            return max;
        }
        Assert.Equal(reference.Shape, actual.Dimensions.ToArray());
        int i = 0;
        foreach (float value in actual)
            max = Math.Max(max, Math.Abs(value - reference.Values[i++]));
        return max;
    }
}
