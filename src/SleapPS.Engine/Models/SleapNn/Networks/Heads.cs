using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// sleap-nn's heads on a backbone's outputs (docs/design/sleap-nn-networks.md §4). Head I's weights are under
/// <c>model.head_layers.I</c>, in the order of <paramref name="heads"/> (sleap-nn's order for the model type).
/// </summary>
internal static class Heads
{
    /// <returns>Each head's output, in order: NCHW maps, or [N, classes] probabilities for class vectors.</returns>
    public static IReadOnlyList<GraphTensor> Build(TorchOps ops, IReadOnlyList<SleapNnHead> heads, BackboneOutputs backbone)
    {
        var outputs = new List<GraphTensor>(heads.Count);
        for (int i = 0; i < heads.Count; i++)
            outputs.Add(heads[i].Kind == HeadKind.ClassVectors
                ? ClassVectors(ops, heads[i], i, backbone)
                : Map(ops, heads[i], i, backbone));
        return outputs;
    }

    /// <summary>
    /// §4.1: a 1×1 convolution on the decoder output of the head's stride (on the middle block's output when the
    /// decoder has no blocks), then sigmoid for class maps and nothing for the others.
    /// </summary>
    private static GraphTensor Map(TorchOps ops, SleapNnHead head, int index, BackboneOutputs backbone)
    {
        GraphTensor source;
        int declaredIn;
        if (backbone.Decoded.Count == 0)
        {
            if (head.OutputStride != backbone.MiddleStride)
                throw NoSuchStride(ops, head, [backbone.MiddleStride]);
            (source, declaredIn) = (backbone.Middle, backbone.MiddleDeclaredChannels);
        }
        else
        {
            int found = -1;
            for (int i = 0; i < backbone.Decoded.Count && found < 0; i++)
                if (backbone.Decoded[i].Stride == head.OutputStride) found = i;
            if (found < 0)
                throw NoSuchStride(ops, head, backbone.Decoded.Select(d => d.Stride));
            source = backbone.Decoded[found].Tensor;
            declaredIn = source.Channels;
        }
        var map = ops.Conv2d($"model.head_layers.{index}.{head.ClassName}.0", source, head.OutputChannels, kernel: 1, declaredInChannels: declaredIn);
        return head.Kind == HeadKind.ClassMaps ? ops.Sigmoid(map) : map;
    }

    /// <summary>
    /// §4.2: global max pool of the middle block's output, num_fc_layers × (Linear + ReLU), a last Linear to the
    /// classes, softmax: sleap-nn's head outputs probabilities.
    /// </summary>
    private static GraphTensor ClassVectors(TorchOps ops, SleapNnHead head, int index, BackboneOutputs backbone)
    {
        if (backbone.MiddleBlockFilters is not int declaredIn)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The sleap-nn model '{ops.ModelPath}' has a {head.ClassName} on a backbone without a middle block: sleap-nn sizes that head from " +
                "the middle block's filters and cannot build it without one. Retrain with middle_block: true.", ops.ModelPath);
        if (!head.GlobalPool)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The sleap-nn model '{ops.ModelPath}' has a {head.ClassName} with global_pool: false: sleap-nn then flattens the whole feature map into " +
                "a layer sized for one value per channel, which fails on any input larger than the max stride. Retrain with global_pool: true.", ops.ModelPath);
        string key = $"model.head_layers.{index}";
        GraphTensor x = ops.GlobalMaxPoolFlat(backbone.Middle, $"head_layers.{index}.pre_classification_global_pool");
        for (int layer = 0; layer < head.FullyConnectedLayers; layer++)
            x = ops.Relu(ops.Linear($"{key}.pre_classification{layer}_fc", x, head.FullyConnectedUnits,
                declaredInFeatures: layer == 0 ? declaredIn : head.FullyConnectedUnits));
        x = ops.Linear($"{key}.{head.ClassName}", x, head.OutputChannels, declaredInFeatures: head.FullyConnectedUnits);
        return ops.Softmax(x);
    }

    private static SleapException NoSuchStride(TorchOps ops, SleapNnHead head, IEnumerable<int> strides) =>
        new(SleapErrorKind.NotSupported,
            $"The sleap-nn model '{ops.ModelPath}' has a {head.ClassName} at output_stride {head.OutputStride}, but its backbone outputs the strides " +
            $"{string.Join(", ", strides)} only, so sleap-nn itself cannot run it. Retrain with the head's output_stride among the backbone's.", ops.ModelPath);
}
