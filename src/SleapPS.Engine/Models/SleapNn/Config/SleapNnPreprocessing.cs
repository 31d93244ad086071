namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>
/// <c>data_config.preprocessing</c> of a sleap-nn training config: what sleap-nn does to a frame before its network
/// (docs/design/sleap-nn-config.md §5).
/// </summary>
public sealed record SleapNnPreprocessing
{
    /// <summary>Repeat a grey frame to 3 channels (sleap-nn checks this before <see cref="EnsureGrayscale"/>).</summary>
    public bool EnsureRgb { get; init; }

    /// <summary>Convert a colour frame to grey.</summary>
    public bool EnsureGrayscale { get; init; }

    /// <summary>Frames of another height are resized (keeping their aspect) and padded to this; null: the frame's own height.</summary>
    public int? MaxHeight { get; init; }

    /// <summary>Frames of another width are resized (keeping their aspect) and padded to this; null: the frame's own width.</summary>
    public int? MaxWidth { get; init; }

    /// <summary>The input scale applied after sizing (and, for a centered-instance model, to its crops). Positive.</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>The side of a top-down crop in sized-frame pixels (centered-instance models); null when training never set it.</summary>
    public int? CropSize { get; init; }
}
