namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// What sleap-nn's generic <c>Decoder</c> is built from (docs/design/sleap-nn-networks.md §3). The UNet fills it from
/// its own settings; ConvNeXt and SwinT fill it from theirs (§8): they share the decoder, only these values differ.
/// Channel counts here are what sleap-nn sizes its layers for; the tensors that actually arrive are checked against
/// them (§6).
/// </summary>
internal sealed record DecoderSettings
{
    /// <summary>The decoder module's state-dict prefix: <c>model.backbone.decoders.0</c> (UNet) or <c>model.backbone.dec</c> (ConvNeXt, SwinT).</summary>
    public required string ModuleKey { get; init; }

    /// <summary>The prefix of its layer names: <c>stack0_dec</c> (UNet) or <c>dec</c> (ConvNeXt, SwinT).</summary>
    public required string NamePrefix { get; init; }

    /// <summary>Channels sleap-nn expects at the decoder's input (its x_in_shape).</summary>
    public required int InputChannels { get; init; }

    /// <summary>Stride of the decoder's input (sleap-nn's current_stride); each block halves it.</summary>
    public required int InputStride { get; init; }

    /// <summary>Number of upsampling blocks (sleap-nn's up_blocks).</summary>
    public required int UpBlocks { get; init; }

    /// <summary>Base filters (UNet: filters; ConvNeXt/SwinT: their first stage's channels).</summary>
    public required int Filters { get; init; }

    public required double FiltersRate { get; init; }

    public required int DownBlocks { get; init; }

    public required int StemBlocks { get; init; }

    /// <summary>Kernel of the refine convolutions.</summary>
    public required int KernelSize { get; init; }

    /// <summary>True: bilinear ×2; false: ConvTranspose2d(3, stride 2, padding 1, output_padding 1) + ReLU.</summary>
    public required bool UpInterpolate { get; init; }

    /// <summary>
    /// Channels sleap-nn expects from each block's skip feature, deepest first (its encoder_channels); null: each
    /// block's own filters, as for the UNet.
    /// </summary>
    public IReadOnlyList<int>? SkipChannels { get; init; }

    /// <summary>
    /// Refine convolutions per block. sleap-nn's Decoder has a convs_per_block argument that no backbone passes, so it
    /// is always its default 2, whatever the config's convs_per_block says.
    /// </summary>
    public int RefineConvs { get; init; } = 2;

    /// <summary>
    /// Resize each upsampled tensor to its skip feature's size before concatenating, as sleap-nn does when they differ.
    /// Only a network with an extra pooling step (a UNet stem) can make them differ; elsewhere leave it off (§3.3).
    /// </summary>
    public bool ResizeToSkip { get; init; }
}

/// <summary>One decoder output: the tensor after a block and the stride sleap-nn labels it with.</summary>
internal readonly record struct DecoderOutput(int Stride, GraphTensor Tensor);

/// <summary>sleap-nn's Decoder: upsampling blocks, each concatenating a skip feature and refining (§3).</summary>
internal static class Decoder
{
    /// <summary>
    /// Builds every block on <paramref name="x"/> (the middle block's output) with <paramref name="skips"/> deepest
    /// first, and returns each block's output with its stride, in order (coarsest first).
    /// </summary>
    public static IReadOnlyList<DecoderOutput> Build(TorchOps ops, DecoderSettings settings, GraphTensor x, IReadOnlyList<GraphTensor> skips)
    {
        var outputs = new List<DecoderOutput>(settings.UpBlocks);
        int stride = settings.InputStride;
        int declaredIn = settings.InputChannels;
        for (int block = 0; block < settings.UpBlocks; block++)
        {
            // §3.1: filters shrink by the rate per level, never below the base filters.
            int filters = FilterCounts.OfLevel(settings.Filters, settings.FiltersRate, Math.Max(0, settings.DownBlocks + settings.StemBlocks - 1 - block));
            int next = stride / 2;
            string name = $"{settings.NamePrefix}{block}_s{stride}_to_s{next}";
            string key = $"{settings.ModuleKey}.decoder_stack.{block}.blocks.{name}";
            // §3.2: blocks past the last encoder level (a stem's extra levels) neither concatenate nor refine twice.
            bool concatenates = !(settings.StemBlocks > 0 && block >= settings.DownBlocks + settings.StemBlocks);
            GraphTensor? skip = block < skips.Count ? skips[block] : null;
            if (concatenates != skip.HasValue)
                throw new SleapException(SleapErrorKind.NotSupported,
                    $"The sleap-nn model '{ops.ModelPath}' cannot run: its decoder block {block} ({name}) " +
                    (concatenates ? "expects a skip connection but the encoder has no level left to give it one" : "takes no skip connection but sleap-nn hands it one") +
                    ", so sleap-nn itself fails on this configuration (its stem stride, max stride and output stride do not fit together). " +
                    "Retrain the model with a configuration sleap-nn can run.", ops.ModelPath);

            if (settings.UpInterpolate)
                x = ops.UpsampleBilinear(x, 2, $"{key}_interp_bilinear");
            else
                x = ops.Relu(ops.ConvTranspose2d($"{key}_trans_conv", x, filters, kernel: 3, stride: 2, padding: 1, outputPadding: 1, declaredInChannels: declaredIn));

            int declaredRefineIn;
            if (skip is GraphTensor feature)
            {
                if (settings.ResizeToSkip)
                    x = ops.ResizeBilinearLike(x, feature, $"{key}_to_skip_size");
                int skipChannels = settings.SkipChannels is { } list && block < list.Count ? list[block] : filters;
                declaredRefineIn = skipChannels + (settings.UpInterpolate ? declaredIn : filters);
                x = ops.ConcatChannels($"{key}_concat", feature, x); // the skip feature first, as sleap-nn concatenates
            }
            else
                declaredRefineIn = filters;

            int refineConvs = concatenates ? settings.RefineConvs : 1;
            for (int i = 0; i < refineConvs; i++)
                x = ops.Relu(ops.Conv2d($"{key}_refine_conv{i}", x, filters, settings.KernelSize, declaredInChannels: i == 0 ? declaredRefineIn : filters));

            outputs.Add(new DecoderOutput(next, x));
            stride = next;
            declaredIn = filters;
        }
        return outputs;
    }
}

/// <summary>sleap-nn's channel arithmetic.</summary>
internal static class FilterCounts
{
    /// <summary>int(filters · rate^level), truncated as Python's int() does.</summary>
    public static int OfLevel(int filters, double rate, int level) => (int)(filters * Math.Pow(rate, level));
}
