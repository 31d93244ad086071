using Google.Protobuf;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Onnx.Proto;

namespace SleapPS.Engine.Models.Onnx;

/// <summary>The arithmetic a byte-input front applies to the uint8 pixels after the cast to float32.</summary>
public enum ByteFrontArithmetic
{
    /// <summary>x * float32(1/255): SLEAP 1.4's convert_image_dtype (ImagePreprocessor.ByteToFloat).</summary>
    MultiplyByReciprocal255,

    /// <summary>x / float32(255): sleap-nn's x.float() / 255.</summary>
    DivideBy255,
}

/// <summary>
/// A uint8 front for a converted model's graph (docs/design/gpu.md §3): the graph's float32 NHWC input "input" becomes a
/// uint8 input of the same name and shape, followed by Cast to float32 and the family's float32 scaling, so that a GPU
/// receives the batch as bytes (a quarter of the float32 upload) and converts it on the device. Cast of a byte is exact
/// and the scaling is one IEEE float32 operation, the same one the host's pre-processing does, so the network sees
/// bit-identical values.
/// </summary>
public static class ByteInputFront
{
    /// <summary>Bumped whenever the wrapped graph changes, so cached wrappings are made again (ByteInputModelCache's key).</summary>
    public const string Version = "1";

    /// <summary>
    /// The front a model of <paramref name="config"/> taking <paramref name="modelChannels"/> channels can have, or null
    /// where its pre-processing does more than byte work then one float operation:
    /// SLEAP 1.4 resizes in float32 after the multiply when the input scale is not 1 (docs/design/inference.md §3.3), and
    /// sleap-nn converts 3 channels to 1 on floats (docs/design/sleap-nn-inference.md §3), which a 1-channel model sees
    /// unless ensure_grayscale turns frames grey on uint8 first.
    /// </summary>
    public static ByteFrontArithmetic? For(TrainingConfig config, int modelChannels) => config.Family switch
    {
        ModelFamily.Sleap when (float)config.Preprocessing.InputScaling == 1f => ByteFrontArithmetic.MultiplyByReciprocal255,
        ModelFamily.SleapNn when modelChannels == 3 || config.Preprocessing.EnsureGrayscale => ByteFrontArithmetic.DivideBy255,
        _ => null,
    };

    /// <summary>
    /// The model with its single float32 input replaced by the uint8 front. Throws InvalidData when the bytes are not an
    /// ONNX model with one float32 input.
    /// </summary>
    public static byte[] Wrap(byte[] floatModel, ByteFrontArithmetic arithmetic, string sourceName)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(floatModel);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"'{sourceName}' is not an ONNX model: {ex.Message}", sourceName, ex);
        }
        var graph = model.Graph;
        var initializers = graph?.Initializer.Select(t => t.Name).ToHashSet() ?? [];
        var inputs = graph?.Input.Where(i => !initializers.Contains(i.Name)).ToArray() ?? [];
        if (graph is null || inputs.Length != 1 || inputs[0].Type?.TensorType?.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"'{sourceName}' cannot take a uint8 input: a converted model has one float32 input.", sourceName);

        var input = inputs[0];
        string name = input.Name, asFloat = name + "_as_float", scaled = name + "_scaled", factor = name + "_byte_factor";
        // Every reader of the old float input now reads the scaled value.
        foreach (var node in graph.Node)
            for (int i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == name) node.Input[i] = scaled;
        for (int i = 0; i < graph.Output.Count; i++)
            if (graph.Output[i].Name == name)
                throw new SleapException(SleapErrorKind.InvalidData, $"'{sourceName}' returns its input; it cannot take a uint8 input.", sourceName);

        input.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Uint8;
        bool multiply = arithmetic == ByteFrontArithmetic.MultiplyByReciprocal255;
        float constant = multiply ? 1f / 255f : 255f;
        graph.Initializer.Add(new TensorProto
        {
            Name = factor,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(LittleEndian(constant)),
        });
        var cast = new NodeProto { OpType = "Cast", Name = asFloat };
        cast.Input.Add(name);
        cast.Output.Add(asFloat);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (int)TensorProto.Types.DataType.Float });
        var scale = new NodeProto { OpType = multiply ? "Mul" : "Div", Name = scaled };
        scale.Input.Add(asFloat);
        scale.Input.Add(factor);
        scale.Output.Add(scaled);
        graph.Node.Insert(0, scale);
        graph.Node.Insert(0, cast);
        model.MetadataProps.Add(new StringStringEntryProto { Key = "sleapps_byte_input", Value = $"{Version}:{arithmetic}" });
        return model.ToByteArray();
    }

    private static byte[] LittleEndian(float value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        return bytes;
    }
}
