using SleapPS.Engine.Models.Onnx.Proto;

namespace SleapPS.Engine.Models.Onnx.Float16;

/// <summary>
/// The element type of every tensor of a graph, as far as a forward pass over its nodes can tell without shapes: graph
/// inputs, initializers, Constant nodes and value_info say; a node's outputs follow the few rules that matter to the
/// float16 pass (Cast to its target, comparisons to bool, index producers to int64, most others the type of their first
/// input). Tensors no rule covers have no known type, and a node that reads one is left as it is.
/// </summary>
internal static class TensorTypes
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Int64 = (int)TensorProto.Types.DataType.Int64;
    private const int Bool = (int)TensorProto.Types.DataType.Bool;

    private static readonly HashSet<string> Comparisons = new(StringComparer.Ordinal)
        { "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "And", "Or", "Not", "Xor", "IsNaN", "IsInf" };

    private static readonly HashSet<string> IndexProducers = new(StringComparer.Ordinal)
        { "Shape", "Size", "NonZero", "ArgMax", "ArgMin", "NonMaxSuppression" };

    public static Dictionary<string, int> Infer(GraphProto graph)
    {
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var value in graph.Input.Concat(graph.ValueInfo).Concat(graph.Output))
            if (value.Type?.TensorType is { ElemType: > 0 } tensor)
                types[value.Name] = tensor.ElemType;
        foreach (var initializer in graph.Initializer)
            types[initializer.Name] = initializer.DataType;
        foreach (var node in graph.Node)
            foreach (var (output, type) in OutputTypes(node, types))
                types.TryAdd(output, type);
        return types;
    }

    private static IEnumerable<(string Output, int Type)> OutputTypes(NodeProto node, Dictionary<string, int> types)
    {
        if (node.Domain is not ("" or "ai.onnx") || node.Output.Count == 0)
            yield break;
        int? first = node.Input.Count > 0 && types.TryGetValue(node.Input[0], out int t) ? t : null;
        switch (node.OpType)
        {
            case "Cast":
                yield return (node.Output[0], (int)Attribute(node, "to")!.I);
                break;
            case "CastLike":
                if (node.Input.Count > 1 && types.TryGetValue(node.Input[1], out int like)) yield return (node.Output[0], like);
                break;
            case "Constant":
                yield return (node.Output[0], ConstantType(node));
                break;
            case "ConstantOfShape":
                yield return (node.Output[0], Attribute(node, "value")?.T?.DataType ?? Float);
                break;
            case "Where":
                if (node.Input.Count > 1 && types.TryGetValue(node.Input[1], out int chosen)) yield return (node.Output[0], chosen);
                break;
            case "TopK":
                if (first is int values) yield return (node.Output[0], values);
                if (node.Output.Count > 1) yield return (node.Output[1], Int64);
                break;
            case var op when Comparisons.Contains(op):
                yield return (node.Output[0], Bool);
                break;
            case var op when IndexProducers.Contains(op):
                yield return (node.Output[0], Int64);
                break;
            default:
                // Elementwise, movement, pooling, resampling, gathering and normalisation operators keep their first input's
                // type in their first output; further outputs (MaxPool's indices, ...) stay unknown.
                if (first is int same) yield return (node.Output[0], same);
                break;
        }
    }

    private static int ConstantType(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
            switch (attribute.Name)
            {
                case "value": return attribute.T.DataType;
                case "value_float" or "value_floats": return Float;
                case "value_int" or "value_ints": return Int64;
            }
        return 0;
    }

    public static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);
}
