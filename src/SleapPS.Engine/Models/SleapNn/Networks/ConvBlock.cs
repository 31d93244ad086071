namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// sleap-nn's SimpleConvBlock as its backbones use it (no batch norm, ReLU, docs/design/sleap-nn-networks.md §2.2-§2.4):
/// an optional 2×2 max pool first, then <c>convs</c> "same" convolutions, each followed by ReLU.
/// </summary>
internal static class ConvBlock
{
    /// <param name="moduleKey">The block's state-dict prefix, e.g. <c>model.backbone.encoders.0.encoder_stack.1</c>.</param>
    /// <param name="namePrefix">Its layer-name prefix, e.g. <c>stack0_enc1</c>: the convs are <c>moduleKey.blocks.namePrefix_convI</c>.</param>
    /// <param name="declaredInChannels">The input channels sleap-nn sizes the first convolution for.</param>
    public static GraphTensor Build(TorchOps ops, string moduleKey, string namePrefix, GraphTensor x, bool poolFirst,
        int convs, int filters, int kernel, int declaredInChannels)
    {
        if (poolFirst)
            x = ops.MaxPool2dSame(x, $"{namePrefix}_pool");
        for (int i = 0; i < convs; i++)
            x = ops.Relu(ops.Conv2d($"{moduleKey}.blocks.{namePrefix}_conv{i}", x, filters, kernel, declaredInChannels: i == 0 ? declaredInChannels : filters));
        return x;
    }
}
