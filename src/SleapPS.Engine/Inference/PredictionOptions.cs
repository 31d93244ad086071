namespace SleapPS.Engine.Inference;

/// <summary>What a predictor returns besides the instances.</summary>
public sealed class PredictionOptions
{
    /// <summary>Fill <see cref="FramePrediction.Raw"/> (SLEAP's make_labels=False arrays).</summary>
    public bool IncludeRaw { get; init; }

    /// <summary>Fill <see cref="FramePrediction.Maps"/> (SLEAP's return_confmaps).</summary>
    public bool IncludeMaps { get; init; }

    public static PredictionOptions Default { get; } = new();
}
