namespace SleapPS.Engine.Models.SleapNn;

/// <summary>
/// The backbone of a sleap-nn model, as <c>model_config.backbone_config</c> of its training_config.yaml describes it
/// (docs/design/sleap-nn-config.md §4). Exactly one of sleap-nn's three backbones is set in a config.
/// </summary>
public abstract record SleapNnBackbone
{
    /// <summary>unet, convnext or swint: the key under backbone_config.</summary>
    public abstract string Name { get; }

    /// <summary>Network inputs are padded to a multiple of this.</summary>
    public abstract int MaxStride { get; }

    /// <summary>The stride of the finest decoder output (the heads tap outputs of their own stride).</summary>
    public required int OutputStride { get; init; }

    /// <summary>1 (grayscale) or 3 (RGB).</summary>
    public required int InChannels { get; init; }

    /// <summary>Kernel size of the decoder's refine convolutions (and of the UNet's convolutions).</summary>
    public required int KernelSize { get; init; }

    public required double FiltersRate { get; init; }

    public required int ConvsPerBlock { get; init; }

    /// <summary>True: bilinear upsampling (align_corners false); false: a stride-2 transposed convolution.</summary>
    public required bool UpInterpolate { get; init; }
}

/// <summary><c>backbone_config.unet</c>.</summary>
public sealed record UNetBackbone : SleapNnBackbone
{
    public override string Name => "unet";

    public required int Filters { get; init; }

    public required int ConfiguredMaxStride { get; init; }

    public override int MaxStride => ConfiguredMaxStride;

    /// <summary>The stem's stride (null: no stem blocks).</summary>
    public int? StemStride { get; init; }

    public required bool MiddleBlock { get; init; }

    public required int Stacks { get; init; }
}

/// <summary><c>backbone_config.convnext</c> with its architecture resolved (a preset model_type wins over arch, as in sleap-nn).</summary>
public sealed record ConvNextBackbone : SleapNnBackbone
{
    public override string Name => "convnext";

    /// <summary>Blocks per stage.</summary>
    public required IReadOnlyList<int> Depths { get; init; }

    /// <summary>Channels per stage.</summary>
    public required IReadOnlyList<int> Channels { get; init; }

    public required int StemPatchKernel { get; init; }

    public required int StemPatchStride { get; init; }

    /// <summary>Fixed by the architecture: the stem's stride times 16.</summary>
    public override int MaxStride => StemPatchStride * 16;
}

/// <summary><c>backbone_config.swint</c> with its architecture resolved (a preset model_type wins over arch, as in sleap-nn).</summary>
public sealed record SwinTBackbone : SleapNnBackbone
{
    public override string Name => "swint";

    public required int EmbedDim { get; init; }

    public required IReadOnlyList<int> Depths { get; init; }

    public required IReadOnlyList<int> NumHeads { get; init; }

    public required int PatchSize { get; init; }

    public required int StemPatchStride { get; init; }

    public required int WindowSize { get; init; }

    /// <summary>Fixed by the architecture: the stem's stride times 16.</summary>
    public override int MaxStride => StemPatchStride * 16;
}
