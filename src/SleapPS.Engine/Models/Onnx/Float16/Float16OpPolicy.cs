namespace SleapPS.Engine.Models.Onnx.Float16;

/// <summary>
/// Which operators run in float16 and which of their inputs carry the data that changes type (docs/design/gpu.md §5).
/// Everything not listed here stays float32: the list names what is cheap to convert, safe in float16's range
/// (largest 65504, 11 significant bits) and worth converting for a GPU.
/// </summary>
internal static class Float16OpPolicy
{
    /// <summary>The operators whose cost is the network's cost (tensor-core work): the seeds of a float16 region.</summary>
    private static readonly HashSet<string> Heavy = new(StringComparer.Ordinal) { "Conv", "ConvTranspose", "MatMul", "Gemm" };

    /// <summary>
    /// Operator -> the inputs that hold float data and become float16 with it (null: every input). Other inputs keep their
    /// type: Resize's roi and scales stay float32 and its sizes int64 (the operator's type constraints allow it, and a scale
    /// rounded to float16 would move every sampled pixel); shapes, axes, starts and indices are integers.
    /// </summary>
    private static readonly Dictionary<string, int[]?> DataInputs = new(StringComparer.Ordinal)
    {
        ["Conv"] = null,
        ["ConvTranspose"] = null,
        ["MatMul"] = null,
        ["Gemm"] = null,
        ["Add"] = null,
        ["Sub"] = null,
        ["Mul"] = null,
        ["Concat"] = null,
        ["Relu"] = null,
        ["LeakyRelu"] = null,
        ["Sigmoid"] = null,
        ["Tanh"] = null,
        ["Identity"] = null,
        ["MaxPool"] = [0],
        ["AveragePool"] = [0],
        ["GlobalAveragePool"] = [0],
        ["GlobalMaxPool"] = [0],
        ["Resize"] = [0],
        ["Pad"] = [0, 2],
        ["Transpose"] = [0],
        ["Reshape"] = [0],
        ["Flatten"] = [0],
        ["Squeeze"] = [0],
        ["Unsqueeze"] = [0],
        ["Slice"] = [0],
    };

    /// <summary>
    /// Operator -> the inputs whose values its output carries on. A sampling or gathering operator's output holds values of
    /// its data input, not of its coordinates: top-down crops sampled at centroid coordinates are image data again, and the
    /// instance network that reads them may run in float16 (see <see cref="Float16Converter"/>, coordinates).
    /// </summary>
    private static readonly Dictionary<string, int[]> ValueCarriers = new(StringComparer.Ordinal)
    {
        ["GridSample"] = [0],
        ["RoiAlign"] = [0],
        ["Gather"] = [0],
        ["GatherElements"] = [0],
        ["GatherND"] = [0],
        ["Resize"] = [0],
        ["Slice"] = [0],
        ["Reshape"] = [0],
        ["Expand"] = [0],
        ["Tile"] = [0],
        ["Pad"] = [0, 2],
        ["Where"] = [1, 2],
        ["ConstantOfShape"] = [],
    };

    public static bool IsHeavy(string opType) => Heavy.Contains(opType);

    /// <summary>The inputs whose values flow into the node's outputs (all of them unless the operator is a known sampler).</summary>
    public static IEnumerable<string> ValueInputs(Proto.NodeProto node) =>
        ValueCarriers.TryGetValue(node.OpType, out var carried)
            ? carried.Where(i => i < node.Input.Count).Select(i => node.Input[i])
            : node.Input;

    /// <summary>Whether the operator may run in float16 (default ONNX domain only; MaxPool only without its indices output).</summary>
    public static bool MayRunInFloat16(Proto.NodeProto node) =>
        node.Domain is "" or "ai.onnx" && DataInputs.ContainsKey(node.OpType) && (node.OpType != "MaxPool" || node.Output.Count == 1);

    /// <summary>The positions of a float16 node's inputs that become float16 (the empty names of omitted optional inputs excluded).</summary>
    public static IEnumerable<int> FloatInputs(Proto.NodeProto node)
    {
        var listed = DataInputs[node.OpType];
        for (int i = 0; i < node.Input.Count; i++)
            if (node.Input[i].Length > 0 && (listed is null || listed.Contains(i)))
                yield return i;
    }
}
