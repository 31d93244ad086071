using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.Core;

/// <summary>The outputs of one <see cref="ModelRunner.Run"/>, one <see cref="MapView"/> per head; valid until the runner's next run.</summary>
public sealed class ModelOutputs
{
    /// <summary>The output of a head (SLEAP's find_head); throws when the model has none.</summary>
    public MapView Get(HeadKind kind) => throw new NotImplementedException();

    /// <summary>The output of a head, or null when the model has none.</summary>
    public MapView? TryGet(HeadKind kind) => throw new NotImplementedException();
}
