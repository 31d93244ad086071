using SleapPS.Engine.Models.Onnx;

namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// torchvision 0.14's ShiftedWindowAttention (Swin V1) on a channels-last map [B, H, W, C], weights from
/// <c>key.qkv</c>, <c>key.proj</c>, <c>key.relative_position_bias_table</c> and <c>key.relative_position_index</c>
/// (docs/design/sleap-nn-networks.md §9.3).
/// </summary>
internal static class WindowAttention
{
    public static string Build(TransformerOps ops, string x, string key, WindowGeometry geometry, int heads, int shift)
    {
        var g = ops.Graph;
        string hint = TransformerOps.Hint(key);
        int channels = geometry.Channels, cells = geometry.Cells;
        if (channels % heads != 0)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The SwinT stage with {channels} channels cannot split them into {heads} attention heads (model '{ops.Weights.SourcePath}'). Check num_heads in training_config.yaml.",
                ops.Weights.SourcePath);
        int headDim = channels / heads;

        // Pad to whole windows, roll a shifted block's map, and cut it into windows of w² cells.
        x = g.Node("Pad", [x, geometry.Pads], $"{hint}_padded", OnnxGraphBuilder.String("mode", "constant"));
        if (shift > 0)
        {
            x = Roll(g, x, geometry.ShiftRows(shift), axis: 1, $"{hint}_roll_rows");
            x = Roll(g, x, geometry.ShiftCols(shift), axis: 2, $"{hint}_roll_cols");
        }
        x = g.Node("Reshape", [x, geometry.PartitionShape], $"{hint}_grid");
        x = g.Node("Transpose", [x], $"{hint}_grid_t", OnnxGraphBuilder.Ints("perm", 0, 1, 3, 2, 4, 5));
        x = g.Node("Reshape", [x, geometry.WindowsShape], $"{hint}_windows");

        // q, k, v: one Linear to 3C, split as torch does ([3, heads, d] along the channels), q scaled by d^-1/2.
        string qkv = ops.Linear(x, $"{key}.qkv", channels, 3 * channels);
        qkv = g.Node("Reshape", [qkv, g.Int64s($"{hint}_qkv_shape", -1, cells, 3, heads, headDim)], $"{hint}_qkv_split");
        qkv = g.Node("Transpose", [qkv], $"{hint}_qkv_t", OnnxGraphBuilder.Ints("perm", 2, 0, 3, 1, 4));
        string q = g.Node("Gather", [qkv, ops.Int64Scalar($"{hint}_q_index", 0)], $"{hint}_q", OnnxGraphBuilder.Int("axis", 0));
        string k = g.Node("Gather", [qkv, ops.Int64Scalar($"{hint}_k_index", 1)], $"{hint}_k", OnnxGraphBuilder.Int("axis", 0));
        string v = g.Node("Gather", [qkv, ops.Int64Scalar($"{hint}_v_index", 2)], $"{hint}_v", OnnxGraphBuilder.Int("axis", 0));
        q = g.Node("Mul", [q, ops.Scalar($"{hint}_scale", MathF.Pow(headDim, -0.5f))], $"{hint}_q_scaled");
        string kT = g.Node("Transpose", [k], $"{hint}_k_t", OnnxGraphBuilder.Ints("perm", 0, 1, 3, 2));

        // Logits [B·nW, heads, w², w²] + the relative position bias (+ a shifted block's mask), softmax over keys.
        string attention = g.Node("MatMul", [q, kT], $"{hint}_logits");
        attention = g.Node("Add", [attention, g.Floats($"{hint}_rel_bias", RelativePositionBias(ops.Weights, key, geometry.Window, heads), heads, cells, cells)],
            $"{hint}_biased");
        if (shift > 0)
        {
            string perWindow = g.Node("Concat", [g.Int64s($"{hint}_m1", -1), geometry.WindowRows, geometry.WindowCols, g.Int64s($"{hint}_hnn", heads, cells, cells)],
                $"{hint}_per_window_shape", OnnxGraphBuilder.Int("axis", 0));
            attention = g.Node("Reshape", [attention, perWindow], $"{hint}_per_window");
            attention = g.Node("Add", [attention, geometry.Mask(shift)], $"{hint}_masked");
            attention = g.Node("Reshape", [attention, g.Int64s($"{hint}_logits_shape", -1, heads, cells, cells)], $"{hint}_masked_flat");
        }
        attention = g.Node("Softmax", [attention], $"{hint}_softmax", OnnxGraphBuilder.Int("axis", -1));

        x = g.Node("MatMul", [attention, v], $"{hint}_attended");
        x = g.Node("Transpose", [x], $"{hint}_attended_t", OnnxGraphBuilder.Ints("perm", 0, 2, 1, 3));
        x = g.Node("Reshape", [x, geometry.WindowsShape], $"{hint}_merged_heads");
        x = ops.Linear(x, $"{key}.proj", channels, channels);

        // Windows back to the padded map, undo the roll, drop the padding.
        x = g.Node("Reshape", [x, geometry.ReverseShape], $"{hint}_ungrid");
        x = g.Node("Transpose", [x], $"{hint}_ungrid_t", OnnxGraphBuilder.Ints("perm", 0, 1, 3, 2, 4, 5));
        x = g.Node("Reshape", [x, geometry.PaddedShape], $"{hint}_map");
        if (shift > 0)
        {
            x = Roll(g, x, g.Node("Sub", [geometry.PaddedHeight, geometry.ShiftRows(shift)], $"{hint}_unroll_rows_by"), axis: 1, $"{hint}_unroll_rows");
            x = Roll(g, x, g.Node("Sub", [geometry.PaddedWidth, geometry.ShiftCols(shift)], $"{hint}_unroll_cols_by"), axis: 2, $"{hint}_unroll_cols");
        }
        string ends = g.Node("Concat", [geometry.Height, geometry.Width], $"{hint}_crop_ends", OnnxGraphBuilder.Int("axis", 0));
        return g.Node("Slice", [x, g.Int64s($"{hint}_crop_starts", 0, 0), ends, g.Int64s($"{hint}_crop_axes", 1, 2)], $"{hint}_out");
    }

    /// <summary>
    /// torch.roll by −<paramref name="start"/> along <paramref name="axis"/>: the part from <paramref name="start"/>
    /// on, then the part before it. A start of 0 (an axis that is not rolled) leaves the tensor as it is.
    /// </summary>
    private static string Roll(OnnxGraphBuilder g, string x, string start, int axis, string hint)
    {
        string axes = g.Int64s($"{hint}_axis", axis);
        string tail = g.Node("Slice", [x, start, g.Int64s($"{hint}_end", long.MaxValue), axes], $"{hint}_tail");
        string head = g.Node("Slice", [x, g.Int64s($"{hint}_zero", 0), start, axes], $"{hint}_head");
        return g.Node("Concat", [tail, head], hint, OnnxGraphBuilder.Int("axis", axis));
    }

    /// <summary>
    /// The bias added to every window's logits, [heads, w², w²]: bias[h, a, b] = table[index[a·w² + b], h]. It depends
    /// only on the weights, so it is looked up here once instead of in the graph.
    /// </summary>
    private static float[] RelativePositionBias(StateDict weights, string key, int window, int heads)
    {
        int cells = window * window, offsets = (2 * window - 1) * (2 * window - 1);
        float[] table = weights.Floats($"{key}.relative_position_bias_table", offsets, heads);
        string indexKey = $"{key}.relative_position_index";
        long[] index = weights.Require(indexKey, (long)cells * cells).Int64s
            ?? throw new SleapException(SleapErrorKind.InvalidData,
                $"The checkpoint '{weights.SourcePath}' stores '{indexKey}' as floats; SwinT's relative position index is int64. Copy best.ckpt again from its training run folder.",
                weights.SourcePath);
        var bias = new float[heads * cells * cells];
        for (int pair = 0; pair < index.Length; pair++)
        {
            long offset = index[pair];
            if (offset < 0 || offset >= offsets)
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"The checkpoint '{weights.SourcePath}' has '{indexKey}' entry {pair} = {offset}, outside its {offsets}-row bias table. Copy best.ckpt again from its training run folder.",
                    weights.SourcePath);
            for (int h = 0; h < heads; h++)
                bias[h * cells * cells + pair] = table[offset * heads + h];
        }
        return bias;
    }
}
