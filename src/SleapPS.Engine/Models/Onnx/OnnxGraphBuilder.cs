using System.Runtime.InteropServices;
using Google.Protobuf;
using SleapPS.Engine.Models.Onnx.Proto;

namespace SleapPS.Engine.Models.Onnx;

/// <summary>
/// Builds one ONNX graph (default domain, opset 17) node by node. Every tensor name it hands out is
/// unique and derived from a readable hint in call order, so the same calls give the same bytes.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    public const int OpsetVersion = 17;
    private const long IrVersion = 8; // the IR version that goes with opset 17

    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName) => _graph.Name = graphName;

    /// <summary>Claims a name that must stay exactly as given (graph inputs and outputs).</summary>
    public void Reserve(string name)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"The ONNX tensor name '{name}' is already taken.");
    }

    /// <summary>A name not used yet: the hint itself, else hint_1, hint_2, ...</summary>
    public string UniqueName(string hint)
    {
        if (_names.Add(hint)) return hint;
        int suffix = _nextSuffix.GetValueOrDefault(hint, 1);
        string name;
        do { name = $"{hint}_{suffix++}"; } while (_names.Contains(name));
        _nextSuffix[hint] = suffix;
        _names.Add(name);
        return name;
    }

    /// <summary>Declares a float32 graph input; null dims are symbolic (named by <paramref name="dimNames"/>).</summary>
    public void AddInput(string name, IReadOnlyList<long?> dims, IReadOnlyList<string?> dimNames) =>
        _graph.Input.Add(ValueInfo(name, dims, dimNames));

    public void AddOutput(string name, IReadOnlyList<long?> dims, IReadOnlyList<string?> dimNames) =>
        _graph.Output.Add(ValueInfo(name, dims, dimNames));

    /// <summary>Adds a node writing one new tensor named after <paramref name="outputHint"/>; returns that name.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string outputHint, params AttributeProto[] attributes) =>
        NodeTo(opType, inputs, UniqueName(outputHint), attributes);

    /// <summary>Adds a node writing a tensor whose name the caller has already claimed.</summary>
    public string NodeTo(string opType, IReadOnlyList<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>A float32 constant (weights), stored little-endian in raw_data.</summary>
    public string Floats(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(LittleEndianBytes(values));
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Int64s(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public byte[] ToModelBytes(string producerVersion, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "SleapPS",
            ProducerVersion = producerVersion,
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        return model.ToByteArray();
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private static ValueInfoProto ValueInfo(string name, IReadOnlyList<long?> dims, IReadOnlyList<string?> dimNames)
    {
        var shape = new TensorShapeProto();
        for (int i = 0; i < dims.Count; i++)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (dims[i] is long value) dim.DimValue = value;
            else if (dimNames[i] is string param) dim.DimParam = param;
            shape.Dim.Add(dim);
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static byte[] LittleEndianBytes(ReadOnlySpan<float> values)
    {
        var bytes = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < bytes.Length; i += 4) Array.Reverse(bytes, i, 4);
        return bytes;
    }
}
