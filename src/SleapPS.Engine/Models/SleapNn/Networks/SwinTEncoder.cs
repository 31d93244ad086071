using SleapPS.Engine.Models.Onnx;

namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// sleap-nn's SwinT encoder (torchvision 0.14's Swin V1 blocks and PatchMerging after a strided, padded patch-embedding
/// conv) as ONNX nodes, weights from <c>model.backbone.enc.*</c> (docs/design/sleap-nn-networks.md §9.2, §9.5). The stages work
/// channels-last, as torchvision's do; the features handed on are NCHW.
/// </summary>
internal static class SwinTEncoder
{
    private const string Prefix = "model.backbone.enc.features";

    /// <summary>sleap-nn builds every SwinT LayerNorm with torch's default 1e-5.</summary>
    private const float LayerNormEpsilon = 1e-5f;

    /// <summary>The MLP's hidden width is 4x the stage's channels (torchvision's default mlp_ratio, which sleap-nn keeps).</summary>
    private const int MlpRatio = 4;

    public static EncoderFeatures Build(TransformerOps ops, SwinTBackbone backbone, GraphTensor input)
    {
        var skips = new List<GraphTensor>();
        int stages = backbone.Depths.Count;

        // features.0: patch embedding = conv (kernel patch_size, stride stem_patch_stride, padding 1), to NHWC, LayerNorm.
        string x = ops.Torch.Conv2d($"{Prefix}.0.0", input, backbone.EmbedDim, backbone.PatchSize,
            declaredInChannels: backbone.InChannels, stride: backbone.StemPatchStride, padding: 1).Name;
        x = ops.ToNhwc(x, "enc_f0");
        x = ops.LayerNorm(x, $"{Prefix}.0.2", backbone.EmbedDim, LayerNormEpsilon);
        skips.Add(new GraphTensor(ops.ToNchw(x, "enc_f0_skip"), backbone.EmbedDim));

        int layer = 1, dim = backbone.EmbedDim;
        for (int stage = 0; stage < stages; stage++)
        {
            var geometry = new WindowGeometry(ops, x, backbone.WindowSize, dim, $"enc_stage{stage}_windows");
            for (int block = 0; block < backbone.Depths[stage]; block++)
            {
                // Even blocks attend within plain windows, odd blocks within windows shifted by half a window.
                int shift = block % 2 == 0 ? 0 : backbone.WindowSize / 2;
                x = Block(ops, x, $"{Prefix}.{layer}.{block}", geometry, dim, backbone.NumHeads[stage], shift);
            }
            layer++;
            if (stage == stages - 1) break;

            x = PatchMerging(ops, x, $"{Prefix}.{layer}", dim);
            dim *= 2;
            skips.Add(new GraphTensor(ops.ToNchw(x, $"enc_f{layer}_skip"), dim));
            layer++;
        }

        // The encoder's final LayerNorm follows the last stage only.
        x = ops.LayerNorm(x, "model.backbone.enc.norm", dim, LayerNormEpsilon);
        skips.Reverse();
        return new EncoderFeatures(new GraphTensor(ops.ToNchw(x, "enc_norm"), dim), skips);
    }

    /// <summary>
    /// SwinTransformerBlock (V1, pre-norm): x + attention(norm1(x)), then + mlp(norm2(x)), the MLP being
    /// Linear(4·dim), GELU, Linear(dim). Dropout and stochastic depth are the identity at inference.
    /// </summary>
    private static string Block(TransformerOps ops, string x, string key, WindowGeometry geometry, int dim, int heads, int shift)
    {
        var g = ops.Graph;
        string hint = TransformerOps.Hint(key);
        string attended = WindowAttention.Build(ops, ops.LayerNorm(x, $"{key}.norm1", dim, LayerNormEpsilon), $"{key}.attn", geometry, heads, shift);
        x = g.Node("Add", [x, attended], $"{hint}_attn_res");
        string mlp = ops.LayerNorm(x, $"{key}.norm2", dim, LayerNormEpsilon);
        mlp = ops.Linear(mlp, $"{key}.mlp.0", dim, MlpRatio * dim);
        mlp = ops.Gelu(mlp, $"{hint}_mlp_gelu");
        mlp = ops.Linear(mlp, $"{key}.mlp.3", MlpRatio * dim, dim);
        return g.Node("Add", [x, mlp], $"{hint}_out");
    }

    /// <summary>
    /// PatchMerging: pad H and W to even, gather each 2x2 patch's cells in torchvision's order (even row/even col,
    /// odd row/even col, even row/odd col, odd row/odd col) into 4·dim channels, LayerNorm, then a bias-free Linear
    /// to 2·dim. Halves H and W.
    /// </summary>
    private static string PatchMerging(TransformerOps ops, string x, string key, int dim)
    {
        var g = ops.Graph;
        string hint = TransformerOps.Hint(key);
        string two = g.Int64s($"{hint}_two", 2);
        string oddRows = g.Node("Mod", [ops.Dim(x, 1, $"{hint}_h"), two], $"{hint}_odd_h");
        string oddCols = g.Node("Mod", [ops.Dim(x, 2, $"{hint}_w"), two], $"{hint}_odd_w");
        string pads = g.Node("Concat", [g.Int64s($"{hint}_pad_begin", 0, 0, 0, 0, 0), oddRows, oddCols, g.Int64s($"{hint}_pad_c", 0)], $"{hint}_pads",
            OnnxGraphBuilder.Int("axis", 0));
        x = g.Node("Pad", [x, pads], $"{hint}_padded", OnnxGraphBuilder.String("mode", "constant"));

        string ends = g.Int64s($"{hint}_ends", long.MaxValue, long.MaxValue);
        string axes = g.Int64s($"{hint}_axes", 1, 2);
        string steps = g.Int64s($"{hint}_steps", 2, 2);
        var cells = new List<string>();
        foreach (var (row, col) in new[] { (0, 0), (1, 0), (0, 1), (1, 1) })
            cells.Add(g.Node("Slice", [x, g.Int64s($"{hint}_start_{row}{col}", row, col), ends, axes, steps], $"{hint}_cell_{row}{col}"));
        x = g.Node("Concat", cells, $"{hint}_gathered", OnnxGraphBuilder.Int("axis", -1));
        x = ops.LayerNorm(x, $"{key}.norm", 4 * dim, LayerNormEpsilon);
        return ops.Linear(x, $"{key}.reduction", 4 * dim, 2 * dim, bias: false);
    }
}
