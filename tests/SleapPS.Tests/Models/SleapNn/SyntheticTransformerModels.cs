using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Engine.Models.SleapNn.Config;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// The ConvNeXt and SwinT synthetic fixture models (../shared/fixtures/sleap-nn/synthetic, SYNTHETIC.md there): their
/// backbone and heads read from their training_config.yaml, and their weights from best.ckpt.
/// </summary>
internal static class SyntheticTransformerModels
{
    public static string Folder => System.IO.Path.GetFullPath(System.IO.Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn", "synthetic"));

    public static string Path(string model, string file) => System.IO.Path.Combine(Folder, model, file);

    /// <summary>The backbone and heads as SleapNnConfig reads them from the model's training_config.yaml.</summary>
    public static (SleapNnBackbone Backbone, IReadOnlyList<SleapNnHead> Heads) Describe(string model)
    {
        var config = SleapNnConfig.Load(Path(model, SleapNnConfig.FileName));
        return (config.Backbone, config.Heads);
    }

    public static StateDict Weights(string model) => CheckpointReader.Read(Path(model, "best.ckpt"));
}
