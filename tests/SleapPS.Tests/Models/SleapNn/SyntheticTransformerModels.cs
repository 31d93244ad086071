using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// The ConvNeXt and SwinT synthetic fixture models (../shared/fixtures/sleap-nn/synthetic, SYNTHETIC.md there): their
/// backbone and heads as their training_config.yaml states them, and their weights.
/// </summary>
internal static class SyntheticTransformerModels
{
    public static string Folder => System.IO.Path.GetFullPath(System.IO.Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn", "synthetic"));

    public static string Path(string model, string file) => System.IO.Path.Combine(Folder, model, file);

    /// <summary>The backbone_config and head_configs of the model's training_config.yaml, written out by hand.</summary>
    public static (SleapNnBackbone Backbone, IReadOnlyList<SleapNnHead> Heads) Describe(string model) => model switch
    {
        "convnext_centered_instance" => (ConvNext(upInterpolate: true), [new SleapNnHead(HeadKind.CenteredInstanceConfmaps, 2, ["A", "B"])]),
        "convnext_bottomup" => (ConvNext(upInterpolate: false),
            [new SleapNnHead(HeadKind.MultiInstanceConfmaps, 2, ["A", "B"]), new SleapNnHead(HeadKind.PartAffinityFields, 4, ["A-B"])]),
        "swint_centered_instance" => (SwinT(outputStride: 2), [new SleapNnHead(HeadKind.CenteredInstanceConfmaps, 2, ["A", "B"])]),
        "swint_centroid" => (SwinT(outputStride: 4), [new SleapNnHead(HeadKind.CentroidConfmaps, 4, ["centroid"])]),
        _ => throw new ArgumentException(model),
    };

    public static StateDict Weights(string model) => CheckpointReader.Read(Path(model, "best.ckpt"));

    private static ConvNextBackbone ConvNext(bool upInterpolate) => new()
    {
        Depths = [1, 1, 2, 1],
        Channels = [8, 16, 24, 32],
        StemPatchKernel = 4,
        StemPatchStride = 2,
        InChannels = 1,
        KernelSize = 3,
        FiltersRate = 2.0,
        ConvsPerBlock = 2,
        UpInterpolate = upInterpolate,
        OutputStride = 2,
    };

    private static SwinTBackbone SwinT(int outputStride) => new()
    {
        EmbedDim = 8,
        Depths = [2, 2, 2, 2],
        NumHeads = [1, 2, 2, 4],
        PatchSize = 4,
        StemPatchStride = 2,
        WindowSize = 7,
        InChannels = 1,
        KernelSize = 3,
        FiltersRate = 2.0,
        ConvsPerBlock = 2,
        UpInterpolate = true,
        OutputStride = outputStride,
    };
}
