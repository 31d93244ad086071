using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn;
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

    public static StateDict Weights(string model) => TemporaryStateDicts.Read(model);

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

/// <summary>TEMPORARY until the checkpoint reader lands: the state dicts dumped to /tmp/sd/*.npz.</summary>
internal static class TemporaryStateDicts
{
    public static StateDict Read(string model)
    {
        string path = $"/tmp/sd/{model}.npz";
        var tensors = Npz.Load(path).Values.Select(a => a.DType == "<i8"
            ? new TorchTensor(a.Name, a.Shape.Select(d => (long)d).ToArray(), null, a.Values.Select(v => (long)v).ToArray())
            : new TorchTensor(a.Name, a.Shape.Select(d => (long)d).ToArray(), a.Floats, null));
        return new StateDict(path, tensors);
    }
}
