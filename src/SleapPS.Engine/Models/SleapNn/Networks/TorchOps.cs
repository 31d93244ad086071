using SleapPS.Engine.Models.Onnx;

namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// A tensor of a graph being built from a sleap-nn state dict: NCHW when <paramref name="Rank"/> is 4 (the layout
/// PyTorch works in, so weights go in as stored), [N, features] when 2. <paramref name="Channels"/> is dim 1.
/// </summary>
internal readonly record struct GraphTensor(string Name, int Channels, int Rank = 4);

/// <summary>
/// The PyTorch modules sleap-nn's networks are made of, written as ONNX nodes whose weights come from the state dict
/// (docs/design/sleap-nn-networks.md §5). Every weight is read with the shape sleap-nn's config implies, so a missing
/// or misshapen key is an InvalidData error naming the key and the checkpoint. Every layer also checks that the
/// channels the network feeds it are the channels sleap-nn built it for: where they differ sleap-nn itself fails, and
/// so do we, with NotSupported (§6).
/// </summary>
internal sealed class TorchOps(OnnxGraphBuilder graph, StateDict weights)
{
    public OnnxGraphBuilder Graph { get; } = graph;

    public StateDict Weights { get; } = weights;

    /// <summary>The checkpoint the weights came from (named in errors).</summary>
    public string ModelPath => Weights.SourcePath;

    /// <summary>
    /// nn.Conv2d at <paramref name="key"/> (weights <c>key.weight</c> [out, in/groups, k, k] and <c>key.bias</c> [out],
    /// the same layout as ONNX Conv). <paramref name="padding"/> null is PyTorch's padding="same" (stride 1 only):
    /// k - 1 cells in all, the smaller half before, which for odd k is symmetric (§5.1); otherwise that many zeros on
    /// every side. <paramref name="declaredInChannels"/> is what sleap-nn sized the layer for (default: what arrives).
    /// </summary>
    public GraphTensor Conv2d(string key, GraphTensor x, int outChannels, int kernel, int? declaredInChannels = null,
        int stride = 1, int? padding = null, int groups = 1, bool bias = true)
    {
        int inChannels = CheckChannels(key, x, declaredInChannels);
        if (padding is null && stride != 1)
            throw new ArgumentException("PyTorch's padding=\"same\" exists for stride 1 only.", nameof(padding));
        var inputs = new List<string>
        {
            x.Name,
            Graph.Floats($"{Leaf(key)}_weight", Weights.Floats($"{key}.weight", outChannels, inChannels / groups, kernel, kernel),
                outChannels, inChannels / groups, kernel, kernel),
        };
        if (bias) inputs.Add(Bias(key, outChannels));
        long before = padding ?? (kernel - 1) / 2, after = padding ?? kernel - 1 - (kernel - 1) / 2;
        string conv = Graph.Node("Conv", inputs, Leaf(key),
            OnnxGraphBuilder.Ints("kernel_shape", kernel, kernel),
            OnnxGraphBuilder.Ints("strides", stride, stride),
            OnnxGraphBuilder.Ints("pads", before, before, after, after),
            OnnxGraphBuilder.Int("group", groups));
        return new GraphTensor(conv, outChannels);
    }

    /// <summary>
    /// nn.ConvTranspose2d at <paramref name="key"/>: weight [in, out, k, k], which is ONNX ConvTranspose's layout
    /// as it is (no flip, no transpose). PyTorch's padding p crops p cells from both ends of the full transposed
    /// convolution and output_padding adds cells at the bottom/right; ONNX's pads and output_padding mean the same
    /// (§5.2). Output size: (n - 1)·stride - 2p + k + output_padding.
    /// </summary>
    public GraphTensor ConvTranspose2d(string key, GraphTensor x, int outChannels, int kernel, int stride, int padding,
        int outputPadding, int? declaredInChannels = null)
    {
        int inChannels = CheckChannels(key, x, declaredInChannels);
        string conv = Graph.Node("ConvTranspose",
            [
                x.Name,
                Graph.Floats($"{Leaf(key)}_weight", Weights.Floats($"{key}.weight", inChannels, outChannels, kernel, kernel), inChannels, outChannels, kernel, kernel),
                Bias(key, outChannels),
            ],
            Leaf(key),
            OnnxGraphBuilder.Ints("kernel_shape", kernel, kernel),
            OnnxGraphBuilder.Ints("strides", stride, stride),
            OnnxGraphBuilder.Ints("pads", padding, padding, padding, padding),
            OnnxGraphBuilder.Ints("output_padding", outputPadding, outputPadding));
        return new GraphTensor(conv, outChannels);
    }

    /// <summary>nn.Linear at <paramref name="key"/> on [N, in]: weight [out, in], so Gemm with transB.</summary>
    public GraphTensor Linear(string key, GraphTensor x, int outFeatures, int? declaredInFeatures = null)
    {
        if (x.Rank != 2) throw new ArgumentException("Linear takes [N, features].", nameof(x));
        int inFeatures = CheckChannels(key, x, declaredInFeatures);
        string result = Graph.Node("Gemm",
            [x.Name, Graph.Floats($"{Leaf(key)}_weight", Weights.Floats($"{key}.weight", outFeatures, inFeatures), outFeatures, inFeatures), Bias(key, outFeatures)],
            Leaf(key), OnnxGraphBuilder.Int("transB", 1));
        return new GraphTensor(result, outFeatures, 2);
    }

    public GraphTensor Relu(GraphTensor x) => x with { Name = Graph.Node("Relu", [x.Name], $"{x.Name}_relu") };

    public GraphTensor Sigmoid(GraphTensor x) => x with { Name = Graph.Node("Sigmoid", [x.Name], $"{x.Name}_sigmoid") };

    /// <summary>Softmax over the last axis (nn.Softmax(dim=-1)).</summary>
    public GraphTensor Softmax(GraphTensor x) => x with { Name = Graph.Node("Softmax", [x.Name], $"{x.Name}_softmax", OnnxGraphBuilder.Int("axis", -1)) };

    /// <summary>
    /// sleap-nn's MaxPool2dWithSamePadding (kernel 2, stride 2): when a side is odd it pads one cell at its
    /// bottom/right, so the output is ceil(n / 2). ONNX auto_pad SAME_UPPER pads the same cells. sleap-nn pads with
    /// zeros and ONNX's padding never wins the max; the two agree because every pool in these networks reads ReLU
    /// outputs (never negative). §5.3 also records sleap-nn's quirk of padding on its first call only.
    /// </summary>
    public GraphTensor MaxPool2dSame(GraphTensor x, string hint) =>
        x with
        {
            Name = Graph.Node("MaxPool", [x.Name], hint,
                OnnxGraphBuilder.String("auto_pad", "SAME_UPPER"),
                OnnxGraphBuilder.Ints("kernel_shape", 2, 2),
                OnnxGraphBuilder.Ints("strides", 2, 2)),
        };

    /// <summary>
    /// nn.Upsample(scale_factor, mode="bilinear", align_corners=False): source coordinate (o + 0.5) / f - 0.5,
    /// clamped at the borders, which is ONNX Resize linear with half_pixel coordinates (§5.4).
    /// </summary>
    public GraphTensor UpsampleBilinear(GraphTensor x, int factor, string hint)
    {
        string scales = Graph.Floats($"{hint}_scales", [1f, 1f, factor, factor], 4);
        return x with { Name = Resize(x.Name, scales, sizes: null, hint) };
    }

    /// <summary>F.interpolate(x, size=reference's H, W, mode="bilinear", align_corners=False) (§5.4).</summary>
    public GraphTensor ResizeBilinearLike(GraphTensor x, GraphTensor reference, string hint)
    {
        // sizes = x's N, C followed by the reference's H, W, read at run time (both are symbolic).
        string own = Graph.Node("Shape", [x.Name], $"{hint}_own_shape");
        string ownNc = Graph.Node("Slice", [own, Graph.Int64s($"{hint}_nc_from", 0), Graph.Int64s($"{hint}_nc_to", 2)], $"{hint}_own_nc");
        string target = Graph.Node("Shape", [reference.Name], $"{hint}_target_shape");
        string targetHw = Graph.Node("Slice", [target, Graph.Int64s($"{hint}_hw_from", 2), Graph.Int64s($"{hint}_hw_to", 4)], $"{hint}_target_hw");
        string sizes = Graph.Node("Concat", [ownNc, targetHw], $"{hint}_sizes", OnnxGraphBuilder.Int("axis", 0));
        return x with { Name = Resize(x.Name, scales: "", sizes, hint) };
    }

    /// <summary>torch.cat along channels, in the order given.</summary>
    public GraphTensor ConcatChannels(string hint, params GraphTensor[] parts) =>
        new(Graph.Node("Concat", parts.Select(p => p.Name).ToArray(), hint, OnnxGraphBuilder.Int("axis", 1)), parts.Sum(p => p.Channels));

    /// <summary>nn.AdaptiveMaxPool2d(1) then nn.Flatten(start_dim=1): [N, C, H, W] -> [N, C].</summary>
    public GraphTensor GlobalMaxPoolFlat(GraphTensor x, string hint) =>
        new(Graph.Node("ReduceMax", [x.Name], hint, OnnxGraphBuilder.Ints("axes", 2, 3), OnnxGraphBuilder.Int("keepdims", 0)), x.Channels, 2);

    /// <summary>
    /// The channels sleap-nn sized the layer at <paramref name="key"/> for. When the network feeds it something else,
    /// sleap-nn fails at that layer, so the model cannot have been trained or run: NotSupported (§6).
    /// </summary>
    private int CheckChannels(string key, GraphTensor x, int? declared)
    {
        if (declared is int expected && expected != x.Channels)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The sleap-nn model '{ModelPath}' cannot run: sleap-nn builds its layer '{key}' for {expected} input channels, " +
                $"but the network its training_config.yaml describes feeds that layer {x.Channels}, so sleap-nn itself fails on this configuration. " +
                "Retrain the model with a configuration sleap-nn can run.", ModelPath);
        return x.Channels;
    }

    private string Bias(string key, int channels) =>
        Graph.Floats($"{Leaf(key)}_bias", Weights.Floats($"{key}.bias", channels), channels);

    private string Resize(string x, string scales, string? sizes, string hint)
    {
        var inputs = sizes is null ? new[] { x, "", scales } : [x, "", "", sizes];
        return Graph.Node("Resize", inputs, hint,
            OnnxGraphBuilder.String("mode", "linear"),
            OnnxGraphBuilder.String("coordinate_transformation_mode", "half_pixel"));
    }

    /// <summary>A readable ONNX name hint: the state-dict key without the "model." every key starts with.</summary>
    private static string Leaf(string key) => key.StartsWith("model.", StringComparison.Ordinal) ? key[6..] : key;
}
