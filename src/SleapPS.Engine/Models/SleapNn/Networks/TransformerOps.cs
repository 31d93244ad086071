using SleapPS.Engine.Models.Onnx;

namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// The PyTorch layers that ConvNeXt and SwinT use besides convolutions, as ONNX nodes whose weights come from the
/// state dict by key: channels-last LayerNorm, Linear, exact (erf) GELU, and the small shape helpers the windowed
/// attention needs (docs/design/sleap-nn-networks.md §8.2, §9.4). Tensors here are plain names: the encoders
/// switch between NCHW (convolutions) and NHWC (everything channels-last) and track channels themselves.
/// </summary>
internal sealed class TransformerOps(TorchOps torch)
{
    /// <summary>The convolutions, pooling and everything else the UNet shares.</summary>
    public TorchOps Torch { get; } = torch;

    public OnnxGraphBuilder Graph => Torch.Graph;

    public StateDict Weights => Torch.Weights;

    /// <summary>torch.nn.LayerNorm over the last axis (channels-last tensors): <c>key.weight</c>, <c>key.bias</c>.</summary>
    public string LayerNorm(string x, string key, int channels, float epsilon)
    {
        string scale = Graph.Floats($"{Hint(key)}_weight", Weights.Floats($"{key}.weight", channels), channels);
        string bias = Graph.Floats($"{Hint(key)}_bias", Weights.Floats($"{key}.bias", channels), channels);
        return Graph.Node("LayerNormalization", [x, scale, bias], Hint(key),
            OnnxGraphBuilder.Int("axis", -1), OnnxGraphBuilder.Float("epsilon", epsilon));
    }

    /// <summary>torchvision's LayerNorm2d: a LayerNorm over the channels of an NCHW tensor (it permutes to NHWC and back).</summary>
    public string LayerNorm2d(string x, string key, int channels, float epsilon) =>
        ToNchw(LayerNorm(ToNhwc(x, Hint(key)), key, channels, epsilon), Hint(key));

    /// <summary>
    /// torch.nn.Linear on the last axis: x · Wᵀ (+ b). The [out, in] weight is stored transposed, [in, out], so the
    /// node is one MatMul; <paramref name="bias"/> false for Linear(bias=False) (PatchMerging's reduction).
    /// </summary>
    public string Linear(string x, string key, int inFeatures, int outFeatures, bool bias = true)
    {
        float[] weight = Weights.Floats($"{key}.weight", outFeatures, inFeatures);
        return LinearFrom(x, Hint(key), Transpose(weight, outFeatures, inFeatures), inFeatures, outFeatures,
            bias ? Weights.Floats($"{key}.bias", outFeatures) : null);
    }

    /// <summary>A Linear from weights already laid out as [in, out] (rows of a larger weight, e.g. one of q, k, v).</summary>
    public string LinearFrom(string x, string hint, float[] weightInOut, int inFeatures, int outFeatures, float[]? bias)
    {
        string product = Graph.Node("MatMul", [x, Graph.Floats($"{hint}_weight", weightInOut, inFeatures, outFeatures)], $"{hint}_matmul");
        return bias is null ? product : Graph.Node("Add", [product, Graph.Floats($"{hint}_bias", bias, outFeatures)], hint);
    }

    /// <summary>torch.nn.GELU() (approximate='none'): x · ½ · (1 + erf(x / √2)).</summary>
    public string Gelu(string x, string hint)
    {
        string scaled = Graph.Node("Mul", [x, Scalar($"{hint}_rsqrt2", (float)(1 / Math.Sqrt(2)))], $"{hint}_scaled");
        string erf = Graph.Node("Erf", [scaled], $"{hint}_erf");
        string onePlus = Graph.Node("Add", [erf, Scalar($"{hint}_one", 1f)], $"{hint}_1perf");
        string half = Graph.Node("Mul", [x, Scalar($"{hint}_half", 0.5f)], $"{hint}_half_x");
        return Graph.Node("Mul", [half, onePlus], hint);
    }

    public string Relu(string x, string hint) => Graph.Node("Relu", [x], hint);

    public string ToNhwc(string x, string hint) => Graph.Node("Transpose", [x], $"{hint}_nhwc", OnnxGraphBuilder.Ints("perm", 0, 2, 3, 1));

    public string ToNchw(string x, string hint) => Graph.Node("Transpose", [x], $"{hint}_nchw", OnnxGraphBuilder.Ints("perm", 0, 3, 1, 2));

    /// <summary>A float32 scalar constant.</summary>
    public string Scalar(string hint, float value) => Graph.Floats(hint, [value]);

    /// <summary>An int64 scalar (rank 0), as Range wants its bounds.</summary>
    public string Int64Scalar(string hint, long value) => Graph.Node("Constant", [], hint, OnnxGraphBuilder.Int("value_int", value));

    /// <summary>Axis <paramref name="axis"/> of x's shape as a one-element int64 tensor (Concat-able into shapes).</summary>
    public string Dim(string x, int axis, string hint) =>
        Graph.Node("Shape", [x], hint, OnnxGraphBuilder.Int("start", axis), OnnxGraphBuilder.Int("end", axis + 1));

    /// <summary>A readable tensor-name hint from a state-dict key (model.backbone.enc.features.1.0.attn -> enc_f1_0_attn).</summary>
    public static string Hint(string key)
    {
        string trimmed = key.StartsWith("model.backbone.", StringComparison.Ordinal) ? key["model.backbone.".Length..] : key;
        return trimmed.Replace("features.", "f", StringComparison.Ordinal).Replace('.', '_');
    }

    /// <summary>Row-major [rows, cols] -> [cols, rows].</summary>
    public static float[] Transpose(float[] values, int rows, int cols)
    {
        var result = new float[values.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                result[c * rows + r] = values[r * cols + c];
        return result;
    }
}
