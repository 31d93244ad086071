using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.Models.Onnx;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Networks;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// One SwinT window attention in the graph (window geometry and shift mask computed from the map's shape at run time)
/// against a literal double-precision re-statement of torchvision 0.14's shifted_window_attention (pad, the shift
/// dropped per axis whose padded length is not above the window, roll, 3x3 region labels from Python slices,
/// -100 mask, unroll, crop). The fixtures only have square maps; these cover maps where one axis is rolled and the
/// other is not, maps needing padding, and window sizes other than 7.
/// </summary>
public class WindowAttentionTests
{
    [Theory]
    [InlineData(7, 20, 7, 8, 2)]   // rows fit one window (not rolled), columns padded to 21 and rolled
    [InlineData(16, 5, 7, 8, 2)]   // the other way round
    [InlineData(9, 9, 7, 4, 1)]    // both padded to 14 and rolled
    [InlineData(14, 21, 7, 6, 3)]  // whole windows, no padding
    [InlineData(3, 3, 7, 4, 2)]    // one window: nothing rolled, nothing masked
    [InlineData(10, 6, 4, 8, 2)]   // window 4 (shift 2)
    public void Shifted_and_plain_window_attention_match_torchvision(int height, int width, int window, int channels, int heads)
    {
        foreach (int shift in new[] { 0, window / 2 })
        {
            var weights = RandomWeights(channels, heads, window, seed: height * 100 + width + shift);
            float[] x = RandomValues(2 * height * width * channels, seed: 7 + shift);

            var graph = new OnnxGraphBuilder("window_attention");
            graph.Reserve("x");
            graph.Reserve("y");
            graph.AddInput("x", [null, null, null, channels], ["N", "H", "W", null]);
            var ops = new TransformerOps(new TorchOps(graph, weights));
            var geometry = new WindowGeometry(ops, "x", window, channels, "geometry");
            string y = WindowAttention.Build(ops, "x", "blk", geometry, heads, shift);
            graph.NodeTo("Identity", [y], "y");
            graph.AddOutput("y", [null, null, null, channels], ["N", null, null, null]);
            using var session = new InferenceSession(graph.ToModelBytes("test", "window attention test"));
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x, [2, height, width, channels]))]);
            var actual = results.Single().AsTensor<float>();

            double[] expected = Reference(x, 2, height, width, channels, window, shift, heads, weights);
            Assert.Equal([2, height, width, channels], actual.Dimensions.ToArray());
            double worst = 0;
            int i = 0;
            foreach (float value in actual)
                worst = Math.Max(worst, Math.Abs(value - expected[i++]));
            Assert.True(worst < 1e-4, $"{height}x{width}, window {window}, shift {shift}: largest deviation {worst:E3}.");
        }
    }

    private static StateDict RandomWeights(int channels, int heads, int window, int seed)
    {
        var random = new Random(seed);
        int offsets = (2 * window - 1) * (2 * window - 1), cells = window * window;
        var index = new long[cells * cells];
        for (int a = 0; a < cells; a++)
            for (int b = 0; b < cells; b++)
                index[a * cells + b] = (a / window - b / window + window - 1) * (2 * window - 1) + (a % window - b % window + window - 1);
        float[] Values(int count, double scale) => Enumerable.Range(0, count).Select(_ => (float)(scale * Gaussian(random))).ToArray();
        return new StateDict("test.ckpt",
        [
            new TorchTensor("blk.qkv.weight", [3 * channels, channels], Values(3 * channels * channels, Math.Sqrt(2.0 / channels)), null),
            new TorchTensor("blk.qkv.bias", [3 * channels], Values(3 * channels, 0.1), null),
            new TorchTensor("blk.proj.weight", [channels, channels], Values(channels * channels, Math.Sqrt(2.0 / channels)), null),
            new TorchTensor("blk.proj.bias", [channels], Values(channels, 0.1), null),
            new TorchTensor("blk.relative_position_bias_table", [offsets, heads], Values(offsets * heads, 0.5), null),
            new TorchTensor("blk.relative_position_index", [cells * cells], null, index),
        ]);
    }

    /// <summary>torchvision's shifted_window_attention, step by step, in doubles.</summary>
    private static double[] Reference(float[] input, int batch, int height, int width, int channels, int window, int shift, int heads, StateDict weights)
    {
        float[] wQkv = weights.Floats("blk.qkv.weight"), bQkv = weights.Floats("blk.qkv.bias");
        float[] wProj = weights.Floats("blk.proj.weight"), bProj = weights.Floats("blk.proj.bias");
        float[] table = weights.Floats("blk.relative_position_bias_table");
        long[] index = weights.Require("blk.relative_position_index").Int64s!;
        int headDim = channels / heads, cells = window * window;
        int paddedH = (height + window - 1) / window * window, paddedW = (width + window - 1) / window * window;
        int shiftH = window >= paddedH ? 0 : shift, shiftW = window >= paddedW ? 0 : shift;

        // Region labels of the rolled map, as torchvision assigns them with Python slices (only when anything is rolled).
        var label = new int[paddedH, paddedW];
        if (shiftH + shiftW > 0)
        {
            (int?, int?)[] hSlices = [(0, -window), (-window, -shiftH), (-shiftH, null)];
            (int?, int?)[] wSlices = [(0, -window), (-window, -shiftW), (-shiftW, null)];
            int count = 0;
            foreach (var h in hSlices)
                foreach (var w in wSlices)
                {
                    var (h0, h1) = PySlice(h, paddedH);
                    var (w0, w1) = PySlice(w, paddedW);
                    for (int r = h0; r < h1; r++)
                        for (int c = w0; c < w1; c++)
                            label[r, c] = count;
                    count++;
                }
        }

        var output = new double[batch * height * width * channels];
        for (int b = 0; b < batch; b++)
        {
            // Rolled padded map: rolled[r, c] = padded[(r + shiftH) % H', (c + shiftW) % W'].
            double Cell(int r, int c, int ch)
            {
                int sr = (r + shiftH) % paddedH, sc = (c + shiftW) % paddedW;
                return sr < height && sc < width ? input[((b * height + sr) * width + sc) * channels + ch] : 0;
            }
            for (int wr = 0; wr < paddedH / window; wr++)
                for (int wc = 0; wc < paddedW / window; wc++)
                {
                    var qkv = new double[cells, 3 * channels];
                    for (int a = 0; a < cells; a++)
                        for (int o = 0; o < 3 * channels; o++)
                        {
                            double sum = bQkv[o];
                            for (int ch = 0; ch < channels; ch++)
                                sum += wQkv[o * channels + ch] * Cell(wr * window + a / window, wc * window + a % window, ch);
                            qkv[a, o] = sum;
                        }
                    var attended = new double[cells, channels];
                    for (int h = 0; h < heads; h++)
                        for (int a = 0; a < cells; a++)
                        {
                            var logits = new double[cells];
                            for (int k = 0; k < cells; k++)
                            {
                                double dot = 0;
                                for (int d = 0; d < headDim; d++)
                                    dot += qkv[a, h * headDim + d] * Math.Pow(headDim, -0.5) * qkv[k, channels + h * headDim + d];
                                dot += table[index[a * cells + k] * heads + h];
                                int la = label[wr * window + a / window, wc * window + a % window];
                                int lk = label[wr * window + k / window, wc * window + k % window];
                                logits[k] = dot + (shiftH + shiftW > 0 && la != lk ? -100 : 0);
                            }
                            double max = logits.Max(), total = logits.Sum(l => Math.Exp(l - max));
                            for (int k = 0; k < cells; k++)
                            {
                                double p = Math.Exp(logits[k] - max) / total;
                                for (int d = 0; d < headDim; d++)
                                    attended[a, h * headDim + d] += p * qkv[k, 2 * channels + h * headDim + d];
                            }
                        }
                    // Projection, then un-roll (rolled cell r goes back to (r + shift) % H') and crop.
                    for (int a = 0; a < cells; a++)
                    {
                        int r = (wr * window + a / window + shiftH) % paddedH, c = (wc * window + a % window + shiftW) % paddedW;
                        if (r >= height || c >= width) continue;
                        for (int o = 0; o < channels; o++)
                        {
                            double sum = bProj[o];
                            for (int ch = 0; ch < channels; ch++)
                                sum += wProj[o * channels + ch] * attended[a, ch];
                            output[((b * height + r) * width + c) * channels + o] = sum;
                        }
                    }
                }
        }
        return output;
    }

    /// <summary>The [start, stop) a Python slice start:stop selects from n items.</summary>
    private static (int Start, int Stop) PySlice((int? Start, int? Stop) slice, int n)
    {
        static int Resolve(int? value, int n, int whenNone) =>
            value is not int v ? whenNone : Math.Clamp(v < 0 ? v + n : v, 0, n);
        return (Resolve(slice.Start, n, 0), Resolve(slice.Stop, n, n));
    }

    private static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)Gaussian(random)).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
