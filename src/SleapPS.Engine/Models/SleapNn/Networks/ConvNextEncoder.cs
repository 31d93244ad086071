namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// sleap-nn's ConvNeXt encoder (torchvision 0.14's ConvNeXt features with a strided, padded stem) as ONNX nodes,
/// weights from <c>model.backbone.enc.features.*</c> (docs/design/sleap-nn-networks.md §8.2, §8.6).
/// </summary>
internal static class ConvNextEncoder
{
    private const string Prefix = "model.backbone.enc.features";

    /// <summary>LayerNorm2d and the blocks' LayerNorm both use 1e-6 in torchvision's ConvNeXt.</summary>
    private const float LayerNormEpsilon = 1e-6f;

    /// <summary>The depthwise convolution of a block: 7x7, padding 3, whatever the config's kernel_size.</summary>
    private const int BlockKernel = 7;

    /// <param name="ops">The graph and the weights.</param>
    /// <param name="input">The NCHW network input.</param>
    public static EncoderFeatures Build(TransformerOps ops, ConvNextBackbone backbone, GraphTensor input)
    {
        var channels = backbone.Channels;
        var skips = new List<GraphTensor>();

        // features.0: the stem, a patchifying conv (padding 1, so H/stride for kernel = 2·stride) and a LayerNorm2d.
        string x = ops.Torch.Conv2d($"{Prefix}.0.0", input, channels[0], backbone.StemPatchKernel,
            declaredInChannels: backbone.InChannels, stride: backbone.StemPatchStride, padding: 1).Name;
        x = ops.LayerNorm2d(x, $"{Prefix}.0.1", channels[0], LayerNormEpsilon);
        skips.Add(new GraphTensor(x, channels[0]));

        int layer = 1;
        for (int stage = 0; stage < channels.Count; stage++)
        {
            for (int block = 0; block < backbone.Depths[stage]; block++)
                x = Block(ops, x, $"{Prefix}.{layer}.{block}", channels[stage]);
            layer++;
            if (stage == channels.Count - 1) break;

            // Downsampling between stages: LayerNorm2d, then a 2x2 stride-2 conv to the next stage's channels.
            x = ops.LayerNorm2d(x, $"{Prefix}.{layer}.0", channels[stage], LayerNormEpsilon);
            x = ops.Torch.Conv2d($"{Prefix}.{layer}.1", new GraphTensor(x, channels[stage]), channels[stage + 1], kernel: 2, stride: 2, padding: 0).Name;
            skips.Add(new GraphTensor(x, channels[stage + 1]));
            layer++;
        }

        skips.Reverse();
        return new EncoderFeatures(new GraphTensor(x, channels[^1]), skips);
    }

    /// <summary>
    /// torchvision's CNBlock: depthwise 7x7 conv, channels-last LayerNorm, Linear to 4·dim, GELU, Linear back,
    /// times layer_scale, plus the input (stochastic depth is the identity at inference).
    /// </summary>
    private static string Block(TransformerOps ops, string input, string key, int dim)
    {
        string hint = TransformerOps.Hint(key);
        string x = ops.Torch.Conv2d($"{key}.block.0", new GraphTensor(input, dim), dim, BlockKernel, padding: BlockKernel / 2, groups: dim).Name;
        x = ops.ToNhwc(x, hint);
        x = ops.LayerNorm(x, $"{key}.block.2", dim, LayerNormEpsilon);
        x = ops.Linear(x, $"{key}.block.3", dim, 4 * dim);
        x = ops.Gelu(x, $"{hint}_gelu");
        x = ops.Linear(x, $"{key}.block.5", 4 * dim, dim);
        // layer_scale is [dim, 1, 1] for NCHW; applied here in NHWC as [dim] (the same products).
        string scale = ops.Graph.Floats($"{hint}_layer_scale", ops.Weights.Floats($"{key}.layer_scale", dim, 1, 1), dim);
        x = ops.Graph.Node("Mul", [x, scale], $"{hint}_scaled");
        x = ops.ToNchw(x, hint);
        return ops.Graph.Node("Add", [x, input], hint);
    }
}
