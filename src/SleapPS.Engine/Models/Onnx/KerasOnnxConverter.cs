using SleapPS.Engine.Models.Keras;
using SleapPS.Engine.Models.Onnx.Layers;

namespace SleapPS.Engine.Models.Onnx;

/// <summary>
/// Turns a SLEAP Keras model into an ONNX model (opset 17) that ONNX Runtime runs without TensorFlow.
/// <para>
/// The graph has ONE input named "input": float32 [N, H, W, C] (NHWC, N/H/W symbolic, C fixed), the
/// image exactly as SLEAP feeds the network (after docs/design/inference.md §3.3 preprocessing). It is transposed
/// to NCHW once; every layer then works in NCHW. Each Keras output becomes an ONNX output with the
/// output layer's exact name, transposed back to NHWC [N, h, w, c]; rank-2 outputs (ClassVectorsHead)
/// stay [N, classes]. The stored training input size is ignored: any H, W that are multiples of the
/// model's max stride work, as in SLEAP (docs/design/models.md §1).
/// </para>
/// <para>The same KerasModel always gives the same bytes (caches key on them).</para>
/// </summary>
public static class KerasOnnxConverter
{
    /// <summary>Changes whenever the graphs this converter writes change, so cached conversions are redone.</summary>
    public const string ConverterVersion = "2";

    /// <summary>The name of the graph's one input.</summary>
    public const string InputName = "input";

    private delegate TensorInfo LayerConversion(LayerContext context);

    private static readonly Dictionary<string, LayerConversion> Conversions = new(StringComparer.Ordinal)
    {
        ["Conv2D"] = ConvolutionLayers.Conv2D,
        ["Convolution2D"] = ConvolutionLayers.Conv2D,
        ["DepthwiseConv2D"] = ConvolutionLayers.DepthwiseConv2D,
        ["Conv2DTranspose"] = ConvolutionLayers.Conv2DTranspose,
        ["Convolution2DTranspose"] = ConvolutionLayers.Conv2DTranspose,
        ["MaxPooling2D"] = PoolingLayers.MaxPooling2D,
        ["MaxPool2D"] = PoolingLayers.MaxPooling2D,
        ["AveragePooling2D"] = PoolingLayers.AveragePooling2D,
        ["AvgPool2D"] = PoolingLayers.AveragePooling2D,
        ["GlobalMaxPooling2D"] = PoolingLayers.GlobalMaxPooling2D,
        ["GlobalMaxPool2D"] = PoolingLayers.GlobalMaxPooling2D,
        ["GlobalAveragePooling2D"] = PoolingLayers.GlobalAveragePooling2D,
        ["GlobalAvgPool2D"] = PoolingLayers.GlobalAveragePooling2D,
        ["UpSampling2D"] = ResamplingLayers.UpSampling2D,
        ["ZeroPadding2D"] = ResamplingLayers.ZeroPadding2D,
        ["Cropping2D"] = ResamplingLayers.Cropping2D,
        ["Concatenate"] = MergeLayers.Concatenate,
        ["Add"] = MergeLayers.Add,
        ["Subtract"] = MergeLayers.Subtract,
        ["Multiply"] = MergeLayers.Multiply,
        ["Average"] = MergeLayers.Average,
        ["Maximum"] = MergeLayers.Maximum,
        ["Minimum"] = MergeLayers.Minimum,
        ["Activation"] = CoreLayers.Activation,
        ["ReLU"] = CoreLayers.ReLU,
        ["LeakyReLU"] = CoreLayers.LeakyReLU,
        ["Softmax"] = CoreLayers.Softmax,
        ["Dropout"] = CoreLayers.Identity,
        ["SpatialDropout2D"] = CoreLayers.Identity,
        ["GaussianDropout"] = CoreLayers.Identity,
        ["GaussianNoise"] = CoreLayers.Identity,
        ["AlphaDropout"] = CoreLayers.Identity,
        ["Flatten"] = CoreLayers.Flatten,
        ["Reshape"] = CoreLayers.Reshape,
        ["Dense"] = CoreLayers.Dense,
        ["BatchNormalization"] = NormalizationLayers.BatchNormalization,
        ["Lambda"] = LambdaLayers.Lambda,
    };

    /// <summary>The Keras layer classes this converter handles (besides InputLayer).</summary>
    public static IReadOnlyCollection<string> SupportedLayerClasses => Conversions.Keys;

    /// <returns>A serialized ONNX ModelProto.</returns>
    /// <exception cref="SleapException">A layer or option that cannot be converted (NotSupported, naming the
    /// layer, its class and the option), or weights that do not fit the layer (InvalidData).</exception>
    public static byte[] Convert(KerasModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder(string.IsNullOrEmpty(model.Name) ? "sleap_model" : model.Name);
        graph.Reserve(InputName);
        foreach (string output in model.OutputNames.Distinct())
            graph.Reserve(output);

        var tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
        foreach (KerasLayer layer in model.Layers)
        {
            if (layer.ClassName == "InputLayer")
            {
                tensors[layer.Name] = AddInput(graph, model, layer);
                continue;
            }
            if (!Conversions.TryGetValue(layer.ClassName, out var conversion))
                throw new SleapException(SleapErrorKind.NotSupported,
                    $"Layer '{layer.Name}' ({layer.ClassName}) is a layer type SleapPS cannot convert. Model: '{model.SourcePath}'. "
                    + "Train the model with a standard SLEAP backbone, or export it to ONNX with sleap-nn and import that.", model.SourcePath);
            var inputs = layer.Inbound.Select(source => Source(tensors, source, layer, model)).ToList();
            var context = new LayerContext(layer, model.SourcePath, inputs, graph);
            TensorInfo result = conversion(context);
            context.Config.RejectUnknownKeys();
            tensors[layer.Name] = result;
        }

        foreach (string output in model.OutputNames.Distinct())
            AddOutput(graph, tensors[output], output);

        return graph.ToModelBytes(ConverterVersion, $"Converted by SleapPS from a Keras {model.KerasVersion} SLEAP model.");
    }

    private static TensorInfo Source(Dictionary<string, TensorInfo> tensors, KerasTensorRef source, KerasLayer layer, KerasModel model)
    {
        if (source.NodeIndex != 0 || source.TensorIndex != 0)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"Layer '{layer.Name}' ({layer.ClassName}) reads output {source.TensorIndex} of call {source.NodeIndex} of layer '{source.Layer}', which SleapPS cannot convert (it converts layers called once with one output). Model: '{model.SourcePath}'.", model.SourcePath);
        return tensors[source.Layer];
    }

    /// <summary>The NHWC graph input, transposed to the NCHW the rest of the graph works in.</summary>
    private static TensorInfo AddInput(OnnxGraphBuilder graph, KerasModel model, KerasLayer layer)
    {
        if (layer.Name != model.InputName)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"Layer '{layer.Name}' (InputLayer) is a second input; SleapPS converts models with one input. Model: '{model.SourcePath}'.", model.SourcePath);
        var config = new LayerConfig(layer, model.SourcePath);
        config.Ignore("batch_input_shape", "sparse", "ragged");
        if (config.Bool("sparse", false)) throw config.Unsupported("sparse input");
        if (config.Bool("ragged", false)) throw config.Unsupported("ragged input");
        config.RejectUnknownKeys();

        int channels = model.InputChannels;
        graph.AddInput(InputName, [null, null, null, channels], ["N", "H", "W", null]);
        string nchw = graph.Node("Transpose", [InputName], $"{layer.Name}_nchw", OnnxGraphBuilder.Ints("perm", 0, 3, 1, 2));
        return new TensorInfo(nchw, 4, channels);
    }

    /// <summary>An output named exactly as the Keras layer: images back to NHWC, vectors as they are.</summary>
    private static void AddOutput(OnnxGraphBuilder graph, TensorInfo tensor, string name)
    {
        long? channels = tensor.Channels;
        if (tensor.Rank == 4)
        {
            graph.NodeTo("Transpose", [tensor.Name], name, OnnxGraphBuilder.Ints("perm", 0, 2, 3, 1));
            graph.AddOutput(name, [null, null, null, channels], ["N", null, null, null]);
        }
        else
        {
            graph.NodeTo("Identity", [tensor.Name], name);
            graph.AddOutput(name, [null, channels], ["N", null]);
        }
    }
}
