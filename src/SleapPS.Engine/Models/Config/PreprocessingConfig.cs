namespace SleapPS.Engine.Models.Config;

/// <summary><c>data.preprocessing</c> of a training config (docs/design/models.md §2.1).</summary>
public sealed class PreprocessingConfig
{
    /// <summary>Factor applied to frames before the network (σ; ρ for centered-instance models). Positive.</summary>
    public double InputScaling { get; init; } = 1.0;

    /// <summary>Pad to a multiple of this; null when the config leaves it to the backbone's max stride.</summary>
    public int? PadToStride { get; init; }

    /// <summary>Whether frames of other sizes are resized and padded to the target size. True also when the key is missing.</summary>
    public bool ResizeAndPadToTarget { get; init; } = true;

    /// <summary>The target height; null means the largest height of the input videos.</summary>
    public int? TargetHeight { get; init; }

    /// <summary>The target width; null means the largest width of the input videos.</summary>
    public int? TargetWidth { get; init; }

    public bool EnsureRgb { get; init; }

    public bool EnsureGrayscale { get; init; }
}
