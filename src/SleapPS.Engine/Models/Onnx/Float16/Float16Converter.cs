using Google.Protobuf;
using SleapPS.Engine.Models.Onnx.Proto;

namespace SleapPS.Engine.Models.Onnx.Float16;

/// <summary>
/// Rewrites a float32 ONNX model so that its network runs in float16 (docs/design/gpu.md §5). The graph's inputs and
/// outputs keep their names and float32 type (Cast nodes at the boundary), so whatever feeds and reads the model is
/// unchanged. Works on any ONNX model: the graphs SleapPS builds from Keras files and sleap-nn checkpoints and sleap-nn's
/// own exports, whose graphs also hold pre-processing and peak finding.
/// </summary>
/// <remarks>
/// Which nodes change: a float16 region grows from the heavy operators (convolutions, matrix products) through the cheap
/// operators of <see cref="Float16OpPolicy"/> that read a float16 tensor. A node stays float32 when its operator is not
/// listed (the numerically fragile ones among them), when a float input's type is not known, or when one of its inputs
/// holds coordinates: float values computed from indices or shapes (a Cast from an integer type other than uint8 pixels
/// and bool masks, a float Range) and the float values computed from them. Coordinates reach 1024 and beyond, where float16's step is 1 pixel; peak positions must stay float32.
/// Float initializers read only by float16 nodes are stored as float16 (halving the weights); one read by both kinds
/// gets a float16 copy. Value-info entries of tensors that change type are dropped (ONNX Runtime infers them again).
/// </remarks>
internal static class Float16Converter
{
    /// <summary>Bumped whenever the output for the same input model changes (it keys the cache of converted models).</summary>
    public const string ConverterVersion = "1";

    /// <summary>The metadata_props key the converted model carries, with this converter's version as its value.</summary>
    public const string MetadataKey = "sleapps_float16_converter";

    private const int FloatType = (int)TensorProto.Types.DataType.Float;
    private const int HalfType = (int)TensorProto.Types.DataType.Float16;
    private static readonly HashSet<int> IntegerTypes =
    [
        (int)TensorProto.Types.DataType.Int64, (int)TensorProto.Types.DataType.Int32, (int)TensorProto.Types.DataType.Int16,
        (int)TensorProto.Types.DataType.Int8, (int)TensorProto.Types.DataType.Uint16,
    ];

    /// <summary>Converts a serialized float32 model; throws InvalidData when the bytes are not an ONNX model.</summary>
    public static (byte[] Model, Float16Summary Summary) Convert(byte[] float32Model, string sourceName)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(float32Model);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"'{sourceName}' is not an ONNX model: {ex.Message}", sourceName, ex);
        }
        if (model.Graph is null)
            throw new SleapException(SleapErrorKind.InvalidData, $"'{sourceName}' is not an ONNX model: it has no graph.", sourceName);
        if (model.Graph.Node.Any(n => n.Attribute.Any(a => a.Type is AttributeProto.Types.AttributeType.Graph)))
            throw new SleapException(SleapErrorKind.NotSupported,
                $"'{sourceName}' has control-flow operators (If, Loop, Scan) with subgraphs, which the float16 conversion does not handle. Use -Precision Float32.",
                sourceName);

        var graph = model.Graph;
        var halfNodes = ChooseHalfNodes(graph);
        var summary = new Rewriter(graph, halfNodes).Run();
        model.MetadataProps.Add(new StringStringEntryProto { Key = MetadataKey, Value = ConverterVersion });
        return (model.ToByteArray(), summary);
    }

    /// <summary>The nodes that run in float16, in graph order (ONNX graphs list nodes in topological order).</summary>
    private static HashSet<NodeProto> ChooseHalfNodes(GraphProto graph)
    {
        var types = TensorTypes.Infer(graph);
        var coordinates = new HashSet<string>(StringComparer.Ordinal);
        var halfTensors = new HashSet<string>(StringComparer.Ordinal);
        var halfNodes = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Node)
        {
            bool fromIndices = node.OpType == "Range"
                || (node.OpType == "Cast" && node.Input.Count == 1 && types.TryGetValue(node.Input[0], out int from) && IntegerTypes.Contains(from))
                || Float16OpPolicy.ValueInputs(node).Any(coordinates.Contains);
            if (fromIndices)
            {
                // Only float values are coordinates to protect: a comparison of indices (a bool mask, later cast to 0/1
                // floats, like the shifted-window attention mask) carries no coordinate on.
                coordinates.UnionWith(node.Output.Where(o => types.GetValueOrDefault(o, FloatType) == FloatType));
                continue;
            }
            if (!Float16OpPolicy.MayRunInFloat16(node))
                continue;
            var inputs = Float16OpPolicy.FloatInputs(node).Select(i => node.Input[i]).ToList();
            if (inputs.Count == 0 || inputs.Any(name => types.GetValueOrDefault(name) != FloatType) || node.Input.Any(coordinates.Contains))
                continue;
            if (!Float16OpPolicy.IsHeavy(node.OpType) && !inputs.Any(halfTensors.Contains))
                continue;
            halfNodes.Add(node);
            halfTensors.UnionWith(node.Output);
        }
        return halfNodes;
    }

    /// <summary>Rewrites the graph in place around the chosen nodes: initializers, casts, renamed outputs.</summary>
    private sealed class Rewriter(GraphProto graph, HashSet<NodeProto> halfNodes)
    {
        private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        private readonly HashSet<string> _graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly HashSet<string> _nodeNames = graph.Node.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        // A float32 tensor -> its float16 version (a converted initializer, a copy, or a Cast node's output).
        private readonly Dictionary<string, string> _toHalf = new(StringComparer.Ordinal);
        // A tensor a float16 node writes -> the name float32 readers use (its original name for graph outputs, else a Cast's output).
        private readonly Dictionary<string, string> _toFloat = new(StringComparer.Ordinal);
        // A tensor a float16 node writes -> the name it has now (renamed when the float32 original name is a graph output).
        private readonly Dictionary<string, string> _halfName = new(StringComparer.Ordinal);
        private readonly List<NodeProto> _nodes = [];
        private int _casts, _initializersConverted;

        public Float16Summary Run()
        {
            foreach (var node in graph.Node) _names.UnionWith(node.Input.Concat(node.Output));
            _names.UnionWith(_initializers.Keys);
            _names.UnionWith(graph.Input.Select(i => i.Name));
            var onlyHalfReaders = InitializersReadOnlyAsHalf();

            foreach (var node in graph.Node)
            {
                if (halfNodes.Contains(node))
                {
                    foreach (int i in Float16OpPolicy.FloatInputs(node).ToList())
                        node.Input[i] = Half(node.Input[i], onlyHalfReaders);
                    var castsBack = new List<NodeProto>();
                    for (int k = 0; k < node.Output.Count; k++)
                    {
                        string name = node.Output[k];
                        if (_graphOutputs.Contains(name))
                        {
                            string renamed = Unique(name + "_float16");
                            node.Output[k] = renamed;
                            _halfName[name] = renamed;
                            _toFloat[name] = name;
                            castsBack.Add(Cast(renamed, name, FloatType));
                        }
                        else
                            _halfName[name] = name;
                    }
                    _nodes.Add(node);
                    _nodes.AddRange(castsBack);
                }
                else
                {
                    for (int i = 0; i < node.Input.Count; i++)
                        if (_halfName.ContainsKey(node.Input[i]))
                            node.Input[i] = Float(node.Input[i]);
                    _nodes.Add(node);
                }
            }
            graph.Node.Clear();
            graph.Node.AddRange(_nodes);
            // Tensors that now hold float16 under their old name lose their float32 value_info.
            var retyped = _halfName.Where(p => p.Key == p.Value).Select(p => p.Key).Concat(onlyHalfReaders).ToHashSet(StringComparer.Ordinal);
            var keep = graph.ValueInfo.Where(v => !retyped.Contains(v.Name)).ToList();
            graph.ValueInfo.Clear();
            graph.ValueInfo.AddRange(keep);
            return new Float16Summary(halfNodes.Count, graph.Node.Count - halfNodes.Count - _casts, _casts, _initializersConverted);
        }

        /// <summary>Float initializers whose every reader is a float16 node's float input (they are converted in place).</summary>
        private HashSet<string> InitializersReadOnlyAsHalf()
        {
            var readers = new Dictionary<string, (int Half, int Other)>(StringComparer.Ordinal);
            foreach (var node in graph.Node)
            {
                var halfInputs = halfNodes.Contains(node) ? Float16OpPolicy.FloatInputs(node).ToHashSet() : [];
                for (int i = 0; i < node.Input.Count; i++)
                {
                    var (half, other) = readers.GetValueOrDefault(node.Input[i]);
                    readers[node.Input[i]] = halfInputs.Contains(i) ? (half + 1, other) : (half, other + 1);
                }
            }
            return _initializers.Values
                .Where(t => t.DataType == FloatType && !_graphOutputs.Contains(t.Name)
                            && readers.TryGetValue(t.Name, out var r) && r.Half > 0 && r.Other == 0 && HalfData(t) is not null)
                .Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        }

        /// <summary>The float16 version of a float32 tensor read by a float16 node.</summary>
        private string Half(string name, HashSet<string> onlyHalfReaders)
        {
            if (_halfName.TryGetValue(name, out var half)) return half;
            if (_toHalf.TryGetValue(name, out var converted)) return converted;
            if (_initializers.TryGetValue(name, out var initializer) && HalfData(initializer) is { } data)
            {
                _initializersConverted++;
                if (onlyHalfReaders.Contains(name))
                {
                    Store(initializer, data);
                    return _toHalf[name] = name;
                }
                var copy = new TensorProto { Name = Unique(name + "_float16") };
                copy.Dims.AddRange(initializer.Dims);
                Store(copy, data);
                graph.Initializer.Add(copy);
                return _toHalf[name] = copy.Name;
            }
            // A graph input, a Constant node's output or a float32 node's output: a Cast (ONNX Runtime folds casts of constants).
            string output = Unique(name + "_float16");
            _nodes.Add(Cast(name, output, HalfType));
            return _toHalf[name] = output;
        }

        /// <summary>The float32 version of a tensor a float16 node wrote, for a float32 reader.</summary>
        private string Float(string name)
        {
            if (_toFloat.TryGetValue(name, out var full)) return full;
            string output = Unique(name + "_float32");
            _nodes.Add(Cast(_halfName[name], output, FloatType));
            return _toFloat[name] = output;
        }

        private NodeProto Cast(string input, string output, int to)
        {
            _casts++;
            string name = output + "_cast";
            for (int i = 1; !_nodeNames.Add(name); i++) name = $"{output}_cast_{i}";
            var node = new NodeProto { OpType = "Cast", Name = name };
            node.Input.Add(input);
            node.Output.Add(output);
            node.Attribute.Add(OnnxGraphBuilder.Int("to", to));
            return node;
        }

        private string Unique(string hint)
        {
            string name = hint;
            for (int i = 1; !_names.Add(name); i++) name = $"{hint}_{i}";
            return name;
        }

        private static void Store(TensorProto tensor, byte[] halfBytes)
        {
            tensor.DataType = HalfType;
            tensor.FloatData.Clear();
            tensor.RawData = ByteString.CopyFrom(halfBytes);
        }
    }

    /// <summary>
    /// A float initializer's values as little-endian float16 bytes; null when its data is not inline (external data).
    /// Values beyond float16's range are clamped to ±65504 rather than becoming infinities.
    /// </summary>
    private static byte[]? HalfData(TensorProto tensor)
    {
        long count = tensor.Dims.Aggregate(1L, (product, d) => product * d);
        ReadOnlySpan<float> values;
        float[] fromFloatData;
        if (tensor.RawData.Length == count * sizeof(float) && count > 0)
        {
            var raw = tensor.RawData.ToByteArray();
            if (!BitConverter.IsLittleEndian)
                for (int i = 0; i < raw.Length; i += 4) Array.Reverse(raw, i, 4);
            values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw);
        }
        else if (tensor.FloatData.Count == count)
        {
            fromFloatData = tensor.FloatData.ToArray();
            values = fromFloatData;
        }
        else
            return null;
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            var half = (Half)Math.Clamp(values[i], -65504f, 65504f);
            ushort bits = BitConverter.HalfToUInt16Bits(half);
            bytes[2 * i] = (byte)bits;
            bytes[2 * i + 1] = (byte)(bits >> 8);
        }
        return bytes;
    }
}

/// <summary>What a float16 conversion changed: nodes now in float16, nodes left float32, casts added, initializers stored as float16.</summary>
internal sealed record Float16Summary(int HalfNodes, int FloatNodes, int CastsAdded, int InitializersConverted);
