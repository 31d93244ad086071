namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// sleap-nn's ConvNextWrapper and SwinTWrapper (docs/design/sleap-nn-networks.md §8.4): they differ only in their
/// encoder. After it both pool the last stage once more (2x2, stride 2: the max stride is always stem·16), run the
/// "convnext_middle" convolutions (SwinT reuses ConvNeXt's names) and hand the result and the encoder's skip features
/// to the Decoder the UNet also uses.
/// </summary>
internal static class TransformerBackbone
{
    private const string Backbone = "model.backbone";

    /// <summary>Stages sleap-nn's stride arithmetic assumes (stem, three downsamplings, one extra pool).</summary>
    private const int Stages = 4;

    public static BackboneOutputs Build(TorchOps torch, SleapNnBackbone backbone, GraphTensor input)
    {
        var ops = new TransformerOps(torch);
        Validate(backbone, torch.ModelPath);
        var (features, baseFilters) = backbone switch
        {
            ConvNextBackbone convNext => (ConvNextEncoder.Build(ops, convNext, input), convNext.Channels[0]),
            SwinTBackbone swinT => (SwinTEncoder.Build(ops, swinT, input), swinT.EmbedDim),
            _ => throw new ArgumentException($"{backbone.Name} is not a ConvNeXt or SwinT backbone.", nameof(backbone)),
        };

        int maxStride = backbone.MaxStride;
        GraphTensor x = torch.MaxPool2dSame(features.Deepest, "enc_additional_pool");

        // Middle: (convs_per_block - 1) convs widening to last·rate, then one conv keeping that width. With
        // convs_per_block 1 and a rate other than 1 sleap-nn's contract conv expects last·rate channels and fails;
        // ConvBlock's channel check refuses that configuration (§6).
        int last = features.Deepest.Channels;
        int widened = (int)(last * backbone.FiltersRate);
        int module = 0;
        if (backbone.ConvsPerBlock > 1)
            x = ConvBlock.Build(torch, $"{Backbone}.middle_blocks.{module++}", "convnext_middle_expand", x, poolFirst: false,
                backbone.ConvsPerBlock - 1, widened, backbone.KernelSize, declaredInChannels: last);
        x = ConvBlock.Build(torch, $"{Backbone}.middle_blocks.{module}", "convnext_middle_contract", x, poolFirst: false,
            1, widened, backbone.KernelSize, declaredInChannels: widened);

        var settings = new DecoderSettings
        {
            ModuleKey = $"{Backbone}.dec",
            NamePrefix = "dec",
            InputChannels = widened,
            InputStride = maxStride,
            UpBlocks = Log2(maxStride / backbone.OutputStride),
            Filters = baseFilters,
            FiltersRate = backbone.FiltersRate,
            DownBlocks = Stages - 1,
            StemBlocks = 1,
            KernelSize = backbone.KernelSize,
            UpInterpolate = backbone.UpInterpolate,
            SkipChannels = features.Skips.Select(s => s.Channels).ToArray(),
        };
        var decoded = Decoder.Build(torch, settings, x, features.Skips);
        return new BackboneOutputs(x, maxStride, widened, widened, decoded);
    }

    /// <summary>Refuses what sleap-nn's wrappers cannot build or run, or what SleapPS does not build (docs/design/sleap-nn-networks.md §8.5).</summary>
    private static void Validate(SleapNnBackbone backbone, string modelPath)
    {
        var (depths, perStage, perStageKey, stem, stemKernel, stemKernelKey) = backbone switch
        {
            ConvNextBackbone c => (c.Depths.Count, c.Channels.Count, "channels", c.StemPatchStride, c.StemPatchKernel, "stem_patch_kernel"),
            SwinTBackbone s => (s.Depths.Count, s.NumHeads.Count, "num_heads", s.StemPatchStride, s.PatchSize, "patch_size"),
            _ => throw new ArgumentException($"{backbone.Name} is not a ConvNeXt or SwinT backbone.", nameof(backbone)),
        };
        if (depths != Stages || perStage != Stages)
            throw Refuse(modelPath, backbone, $"an arch with {depths} depths and {perStage} {perStageKey}",
                $"sleap-nn's {backbone.Name} wrapper fixes its strides for exactly {Stages} stages (max stride = stem_patch_stride·16), and its heads " +
                "would not get maps of the strides they are labelled with otherwise. Use 4 stages, or a model_type preset.");
        if (stem < 1 || (stem & (stem - 1)) != 0)
            throw Refuse(modelPath, backbone, $"stem_patch_stride: {stem}",
                "SleapPS builds stems whose stride is a power of 2 (sleap-nn rounds log2 of other values, which its padding does not follow).");
        // The stem conv (padding 1) gives exactly H / stride cells only when 2 < kernel <= stride + 2 (the default 4 with
        // stride 2 does). Otherwise later maps and the skip features stop lining up, where sleap-nn's pooling pads
        // differently on its first call than on later ones.
        if (stemKernel <= 2 || stemKernel > stem + 2)
            throw Refuse(modelPath, backbone, $"{stemKernelKey}: {stemKernel} with stem_patch_stride: {stem}",
                $"SleapPS builds stems whose output is exactly the input size / stem_patch_stride, which with padding 1 needs a kernel from 3 to {stem + 2}.");
        int os = backbone.OutputStride;
        if (os < 1 || (os & (os - 1)) != 0 || os > backbone.MaxStride)
            throw Refuse(modelPath, backbone, $"output_stride: {os}", $"it must be a power of 2 no larger than the max stride {backbone.MaxStride} (stem_patch_stride·16).");
        if (backbone.InChannels < 1 || backbone.KernelSize < 1 || backbone.ConvsPerBlock < 1 || backbone.FiltersRate <= 0)
            throw Refuse(modelPath, backbone,
                $"in_channels: {backbone.InChannels}, kernel_size: {backbone.KernelSize}, convs_per_block: {backbone.ConvsPerBlock}, filters_rate: {backbone.FiltersRate}",
                "each must be positive.");
        if (backbone is SwinTBackbone { WindowSize: < 1 } swin)
            throw Refuse(modelPath, backbone, $"window_size: {swin.WindowSize}", "it must be positive.");
    }

    private static int Log2(int value) => System.Numerics.BitOperations.Log2((uint)value);

    private static SleapException Refuse(string modelPath, SleapNnBackbone backbone, string option, string why) =>
        new(SleapErrorKind.NotSupported,
            $"The sleap-nn model '{modelPath}' has {backbone.Name} {option} in its training_config.yaml, which SleapPS cannot build: {why}", modelPath);
}
