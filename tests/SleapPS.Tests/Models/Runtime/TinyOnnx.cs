using Google.Protobuf;

namespace SleapPS.Tests.Models.Runtime;

/// <summary>
/// Writes small ONNX models field by field (onnx.proto field numbers), for tests that need a graph
/// with given input/output names, types and metadata, independent of the Keras converter.
/// </summary>
internal sealed class TinyOnnx
{
    public const int Float = 1, UInt8 = 2, Bool = 9, Int64 = 7;

    private readonly List<byte[]> _nodes = [], _inputs = [], _outputs = [], _initializers = [];
    private readonly List<(string Key, string Value)> _metadata = [];

    /// <summary>A graph input; a string dimension is a named dynamic axis.</summary>
    public TinyOnnx Input(string name, int elementType, params object[] dims) { _inputs.Add(ValueInfo(name, elementType, dims)); return this; }

    public TinyOnnx Output(string name, int elementType, params object[] dims) { _outputs.Add(ValueInfo(name, elementType, dims)); return this; }

    public TinyOnnx Metadata(string key, string value) { _metadata.Add((key, value)); return this; }

    /// <summary>A float or int64 constant tensor.</summary>
    public TinyOnnx Constant(string name, long[] dims, float[]? floats = null, long[]? longs = null)
    {
        _initializers.Add(Message(o =>
        {
            foreach (var d in dims) { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(d); }
            o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt32(floats is not null ? Float : Int64);
            if (floats is not null) foreach (var f in floats) { o.WriteTag(4, WireFormat.WireType.Fixed32); o.WriteFloat(f); }
            if (longs is not null) foreach (var l in longs) { o.WriteTag(7, WireFormat.WireType.Varint); o.WriteInt64(l); }
            o.WriteTag(8, WireFormat.WireType.LengthDelimited); o.WriteString(name);
        }));
        return this;
    }

    /// <summary>A node; attributes are int (long), int list (long[]) or float.</summary>
    public TinyOnnx Node(string opType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        _nodes.Add(Message(o =>
        {
            foreach (var i in inputs) { o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(i); }
            foreach (var i in outputs) { o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString(i); }
            o.WriteTag(3, WireFormat.WireType.LengthDelimited); o.WriteString(opType + "_" + _nodes.Count);
            o.WriteTag(4, WireFormat.WireType.LengthDelimited); o.WriteString(opType);
            foreach (var (name, value) in attributes)
                WriteMessage(o, 5, Message(a =>
                {
                    a.WriteTag(1, WireFormat.WireType.LengthDelimited); a.WriteString(name);
                    switch (value)
                    {
                        case float f: a.WriteTag(2, WireFormat.WireType.Fixed32); a.WriteFloat(f); a.WriteTag(20, WireFormat.WireType.Varint); a.WriteInt32(1); break;
                        case long l: a.WriteTag(3, WireFormat.WireType.Varint); a.WriteInt64(l); a.WriteTag(20, WireFormat.WireType.Varint); a.WriteInt32(2); break;
                        case long[] ls: foreach (var l in ls) { a.WriteTag(8, WireFormat.WireType.Varint); a.WriteInt64(l); } a.WriteTag(20, WireFormat.WireType.Varint); a.WriteInt32(7); break;
                        default: throw new ArgumentException($"attribute {name}: {value?.GetType()}");
                    }
                }));
        }));
        return this;
    }

    /// <summary>The serialized ModelProto (IR 8, opset 17).</summary>
    public byte[] ToBytes() => Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(8);
        o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString("SleapPS.Tests");
        WriteMessage(o, 7, Message(g =>
        {
            foreach (var n in _nodes) WriteMessage(g, 1, n);
            g.WriteTag(2, WireFormat.WireType.LengthDelimited); g.WriteString("tiny");
            foreach (var t in _initializers) WriteMessage(g, 5, t);
            foreach (var i in _inputs) WriteMessage(g, 11, i);
            foreach (var i in _outputs) WriteMessage(g, 12, i);
        }));
        WriteMessage(o, 8, Message(s => { s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt64(17); }));
        foreach (var (key, value) in _metadata)
            WriteMessage(o, 14, Message(e =>
            {
                e.WriteTag(1, WireFormat.WireType.LengthDelimited); e.WriteString(key);
                e.WriteTag(2, WireFormat.WireType.LengthDelimited); e.WriteString(value);
            }));
    });

    public string Save(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    /// <summary>
    /// A stand-in for a converted SLEAP model: input "input" float [N, H, W, channels]; each output is
    /// the input's first channel, max-pooled by 2 (any name, NHWC, one channel per output).
    /// </summary>
    public static TinyOnnx Nhwc(int channels, params string[] outputs)
    {
        var model = new TinyOnnx().Input("input", Float, "N", "H", "W", (long)channels)
            .Node("Transpose", ["input"], ["nchw"], ("perm", new long[] { 0, 3, 1, 2 }))
            .Node("MaxPool", ["nchw"], ["pooled"], ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }))
            .Node("Transpose", ["pooled"], ["pooled_nhwc"], ("perm", new long[] { 0, 2, 3, 1 }));
        foreach (var name in outputs)
            model.Node("Identity", ["pooled_nhwc"], [name]).Output(name, Float, "N", "h", "w", (long)channels);
        return model;
    }

    private static byte[] ValueInfo(string name, int elementType, object[] dims) => Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(name);
        WriteMessage(o, 2, Message(type => WriteMessage(type, 1, Message(tensor =>
        {
            tensor.WriteTag(1, WireFormat.WireType.Varint); tensor.WriteInt32(elementType);
            WriteMessage(tensor, 2, Message(shape =>
            {
                foreach (var dim in dims)
                    WriteMessage(shape, 1, Message(d =>
                    {
                        if (dim is string axis) { d.WriteTag(2, WireFormat.WireType.LengthDelimited); d.WriteString(axis); }
                        else { d.WriteTag(1, WireFormat.WireType.Varint); d.WriteInt64(Convert.ToInt64(dim)); }
                    }));
            }));
        }))));
    });

    private static void WriteMessage(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
            write(output);
        return stream.ToArray();
    }
}
