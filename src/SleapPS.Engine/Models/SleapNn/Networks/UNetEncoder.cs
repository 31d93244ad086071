namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// sleap-nn's UNet (docs/design/sleap-nn-networks.md §2): optional stem, encoder, middle block, then the shared
/// <see cref="Decoder"/>. Only stacks: 1 exists (sleap-nn cannot run more, §6).
/// </summary>
internal static class UNetEncoder
{
    private const string Backbone = "model.backbone";

    /// <summary>The stem's kernel: sleap-nn always builds the stem with 7×7 convolutions, whatever kernel_size says.</summary>
    public const int StemKernel = 7;

    public static BackboneOutputs Build(TorchOps ops, UNetBackbone unet, UNetLayout layout, GraphTensor input)
    {
        int f = unet.Filters;
        double rate = unet.FiltersRate;
        int stem = layout.StemBlocks, down = layout.DownBlocks;

        // §2.2 stem: block s pools first (except block 0), convolves to filters·rate^s; a last pool ends it.
        GraphTensor x = input;
        for (int s = 0; s < stem; s++)
            x = ConvBlock.Build(ops, $"{Backbone}.stem.stem_stack.{s}", $"stem{s}", x, poolFirst: s > 0, unet.ConvsPerBlock,
                FilterCounts.OfLevel(f, rate, s), StemKernel, declaredInChannels: s == 0 ? unet.InChannels : FilterCounts.OfLevel(f, rate, s - 1));
        GraphTensor? stemOutput = null;
        if (stem > 0)
            stemOutput = x = ops.MaxPool2dSame(x, $"stem{stem}_last_pool");

        // §2.3 encoder: level i = stem + block pools first (except the very first level) and convolves to filters·rate^level.
        var features = new List<GraphTensor>(down + 1);
        for (int block = 0; block < down; block++)
        {
            int level = block + stem;
            x = ConvBlock.Build(ops, $"{Backbone}.encoders.0.encoder_stack.{block}", $"stack0_enc{block}", x, poolFirst: level > 0, unet.ConvsPerBlock,
                FilterCounts.OfLevel(f, rate, level), unet.KernelSize, declaredInChannels: level == 0 ? unet.InChannels : FilterCounts.OfLevel(f, rate, level - 1));
            features.Add(x);
        }
        x = ops.MaxPool2dSame(x, $"stack0_enc{down}_last_pool");

        // §2.4 middle block: (convs_per_block - 1) expanding convs to filters·rate^(down + stem), then one more.
        int bottomFilters = FilterCounts.OfLevel(f, rate, down + stem);
        int? middleFilters = null;
        if (unet.MiddleBlock)
        {
            int encoderNumber = down + 1, module = 0;
            if (unet.ConvsPerBlock > 1)
                x = ConvBlock.Build(ops, $"{Backbone}.middle_blocks.{module++}", $"stack0_enc{encoderNumber++}_middle_expand", x, poolFirst: false,
                    unet.ConvsPerBlock - 1, bottomFilters, unet.KernelSize, declaredInChannels: FilterCounts.OfLevel(f, rate, down + stem - 1));
            x = ConvBlock.Build(ops, $"{Backbone}.middle_blocks.{module}", $"stack0_enc{encoderNumber}_middle_contract", x, poolFirst: false,
                1, bottomFilters, unet.KernelSize, declaredInChannels: bottomFilters);
            middleFilters = bottomFilters;
        }

        // §2.5 skips: the encoder levels deepest first, then the stem's output.
        features.Reverse();
        if (stemOutput is GraphTensor stemFeature)
            features.Add(stemFeature);

        var settings = new DecoderSettings
        {
            ModuleKey = $"{Backbone}.decoders.0",
            NamePrefix = "stack0_dec",
            InputChannels = bottomFilters,
            InputStride = layout.BottomStride,
            UpBlocks = layout.UpBlocks,
            Filters = f,
            FiltersRate = rate,
            DownBlocks = down,
            StemBlocks = stem,
            KernelSize = unet.KernelSize,
            UpInterpolate = unet.UpInterpolate,
            ResizeToSkip = stem > 0,
        };
        var decoded = Decoder.Build(ops, settings, x, features);
        return new BackboneOutputs(x, layout.BottomStride, bottomFilters, middleFilters, decoded);
    }
}

/// <summary>
/// The levels of a UNet as sleap-nn derives them from its config (§2.1), checked for what sleap-nn can build and run.
/// </summary>
internal sealed record UNetLayout(int StemBlocks, int DownBlocks, int UpBlocks, int BottomStride)
{
    public static UNetLayout Of(UNetBackbone unet, string modelPath)
    {
        if (unet.Stacks != 1)
            throw Refuse(modelPath, $"unet stacks: {unet.Stacks}",
                "sleap-nn's UNet cannot run more than one stack (it feeds stack 0's decoder outputs, a dict, into stack 1's encoder and fails). Retrain with stacks: 1.");
        if (!unet.MiddleBlock && unet.FiltersRate != 1.0)
            throw Refuse(modelPath, $"unet middle_block: false with filters_rate: {Format(unet.FiltersRate)}",
                "without a middle block sleap-nn's decoder expects filters·filters_rate^levels channels but receives one level fewer, and fails (middle_block: false works only with filters_rate: 1). " +
                "Retrain with middle_block: true or filters_rate: 1.");
        int maxLevels = Log2(unet.MaxStride, "max_stride", modelPath);
        int outputLevels = Log2(unet.OutputStride, "output_stride", modelPath);
        int stem = unet.StemStride is int stemStride ? Log2(stemStride, "stem_stride", modelPath) : 0;
        int down = maxLevels - stem;
        if (down < 1)
            throw Refuse(modelPath, $"unet stem_stride: {unet.StemStride} with max_stride: {unet.MaxStride}",
                "sleap-nn's UNet needs at least one encoder block below the stem (stem_stride smaller than max_stride) and fails otherwise.");
        int up = maxLevels - outputLevels + stem;
        if (up < 0)
            throw Refuse(modelPath, $"unet output_stride: {unet.OutputStride} with max_stride: {unet.MaxStride}",
                "sleap-nn cannot build a UNet whose output stride is coarser than its max stride.");
        if (unet.InChannels < 1 || unet.Filters < 1 || unet.ConvsPerBlock < 1 || unet.KernelSize < 1 || unet.FiltersRate <= 0)
            throw Refuse(modelPath,
                $"unet in_channels: {unet.InChannels}, filters: {unet.Filters}, filters_rate: {Format(unet.FiltersRate)}, convs_per_block: {unet.ConvsPerBlock}, kernel_size: {unet.KernelSize}",
                "each must be positive.");
        // Without a stem every encoder block but the first pools, plus the last pool: the bottom is at max_stride. A stem
        // adds its own pools and the encoder's first block pools too, so the bottom is one level deeper (§2.1).
        int bottomLevels = stem == 0 ? down : stem + down + 1;
        return new UNetLayout(stem, down, up, 1 << bottomLevels);
    }

    private static int Log2(int value, string name, string modelPath)
    {
        if (value < 1 || (value & (value - 1)) != 0)
            throw Refuse(modelPath, $"unet {name}: {value}", "SleapPS builds UNets whose strides are powers of 2 (sleap-nn rounds log2 of other values down, which its padding does not follow).");
        return System.Numerics.BitOperations.Log2((uint)value);
    }

    private static string Format(double value) => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static SleapException Refuse(string modelPath, string option, string why) =>
        new(SleapErrorKind.NotSupported, $"The sleap-nn model '{modelPath}' has {option} in its training_config.yaml, which SleapPS cannot build: {why}", modelPath);
}
