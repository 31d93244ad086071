using SleapPS.Engine.Models.Onnx;

namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// Builds the ONNX graph (opset 17) of a sleap-nn model from its backbone settings and its state dict, in-process,
/// as <see cref="KerasOnnxConverter"/> does for SLEAP 1.4 models (docs/design/sleap-nn-networks.md).
/// <para>
/// The graph honours the converted-graph contract (§1): ONE input "input", float32 [N, H, W, C] (NHWC, N/H/W
/// symbolic, C = in_channels) holding the image already scaled to [0, 1]. sleap-nn divides uint8 pixels by 255 in
/// its forward pass; SleapPS's ModelRunner multiplies by float32(1/255) before feeding, so that step is not in the
/// graph. The input is transposed to NCHW once; each head becomes an output named by its class name
/// (<see cref="SleapNnHead.ClassName"/>), maps transposed back to NHWC [N, h, w, c], class vectors as [N, classes]
/// probabilities. H and W must be multiples of the backbone's max stride, as sleap-nn pads them.
/// </para>
/// <para>The same inputs always give the same bytes.</para>
/// </summary>
public static class SleapNnGraphBuilder
{
    /// <summary>Changes whenever the graphs this builder writes change, so cached graphs are rebuilt.</summary>
    public const string ConverterVersion = "1";

    /// <summary>The name of the graph's one input.</summary>
    public const string InputName = "input";

    /// <returns>A serialized ONNX ModelProto.</returns>
    /// <exception cref="SleapException">NotSupported for a configuration SleapPS cannot build (naming the option and
    /// what sleap-nn does with it); InvalidData for a weight that is missing or misshapen (naming the key and the
    /// checkpoint).</exception>
    public static byte[] Build(SleapNnBackbone backbone, IReadOnlyList<SleapNnHead> heads, StateDict weights, string graphName)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentNullException.ThrowIfNull(weights);
        if (heads.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument, $"The sleap-nn model '{weights.SourcePath}' has no heads to build.", weights.SourcePath);
        var duplicate = heads.GroupBy(h => h.ClassName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The sleap-nn model '{weights.SourcePath}' lists the head {duplicate.Key} {duplicate.Count()} times; a graph output is named after each head, so each may appear once.", weights.SourcePath);

        var graph = new OnnxGraphBuilder(string.IsNullOrEmpty(graphName) ? "sleap_nn_model" : graphName);
        graph.Reserve(InputName);
        foreach (var head in heads)
            graph.Reserve(head.ClassName);
        var ops = new TorchOps(graph, weights);

        graph.AddInput(InputName, [null, null, null, backbone.InChannels], ["N", "H", "W", null]);
        var input = new GraphTensor(graph.Node("Transpose", [InputName], "input_nchw", OnnxGraphBuilder.Ints("perm", 0, 3, 1, 2)), backbone.InChannels);

        BackboneOutputs features = backbone switch
        {
            UNetBackbone unet => UNetEncoder.Build(ops, unet, UNetLayout.Of(unet, weights.SourcePath), input),
            ConvNextBackbone or SwinTBackbone => TransformerBackbone.Build(ops, backbone, input),
            _ => throw new SleapException(SleapErrorKind.NotSupported,
                $"The sleap-nn model '{weights.SourcePath}' has a {backbone.Name} backbone, which SleapPS cannot build yet.", weights.SourcePath),
        };

        var outputs = Heads.Build(ops, heads, features);
        for (int i = 0; i < heads.Count; i++)
            AddOutput(graph, outputs[i], heads[i].ClassName);
        return graph.ToModelBytes(ConverterVersion, $"Built by SleapPS from a sleap-nn {backbone.Name} model's state dict.");
    }

    /// <summary>Maps back to NHWC; vectors as they are.</summary>
    private static void AddOutput(OnnxGraphBuilder graph, GraphTensor tensor, string name)
    {
        if (tensor.Rank == 4)
        {
            graph.NodeTo("Transpose", [tensor.Name], name, OnnxGraphBuilder.Ints("perm", 0, 2, 3, 1));
            graph.AddOutput(name, [null, null, null, tensor.Channels], ["N", null, null, null]);
        }
        else
        {
            graph.NodeTo("Identity", [tensor.Name], name);
            graph.AddOutput(name, [null, tensor.Channels], ["N", null]);
        }
    }
}
