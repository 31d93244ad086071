namespace SleapPS.Engine.Rendering;

/// <summary>How labels are drawn and written. Sizes are in pixels of the output (after <see cref="Scale"/>).</summary>
public sealed class RenderOptions
{
    /// <summary>Radius of the filled circle drawn at each point; 0 draws no points.</summary>
    public double MarkerSize { get; init; } = 4;

    /// <summary>Thickness of the skeleton's edges; 0 draws no edges.</summary>
    public int LineWidth { get; init; } = 2;

    /// <summary>Write each node's name beside its point.</summary>
    public bool ShowNodeNames { get; init; }

    /// <summary>Write each predicted point's score beside it (user points have none).</summary>
    public bool ShowScores { get; init; }

    /// <summary>Resize factor of the output frames relative to the video (1 keeps the size).</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>The video codec (see <see cref="VideoCodecs"/>); null for the extension's default. Not for PNG output.</summary>
    public string? Codec { get; init; }

    /// <summary>Frames per second of the output video; null for the video's own rate. Not for PNG output.</summary>
    public double? Fps { get; init; }

    /// <summary>Throws when a value cannot be used, naming it.</summary>
    internal void Validate()
    {
        if (!double.IsFinite(MarkerSize) || MarkerSize < 0)
            throw Invalid($"The marker size {MarkerSize} cannot be used: give a radius in pixels of 0 (no points) or more.");
        if (LineWidth < 0)
            throw Invalid($"The line width {LineWidth} cannot be used: give a thickness in pixels of 0 (no edges) or more.");
        if (!double.IsFinite(Scale) || Scale <= 0 || Scale > MaxScale)
            throw Invalid($"The scale {Scale} cannot be used: give a factor greater than 0 and at most {MaxScale} (1 keeps the video's size).");
        if (Fps is { } fps && (!double.IsFinite(fps) || fps <= 0))
            throw Invalid($"The frame rate {fps} cannot be used: give a number of frames per second greater than 0.");
    }

    /// <summary>Beyond this the frames would take gigabytes; nobody needs a 10x blown-up pose video.</summary>
    internal const double MaxScale = 8;

    private static SleapException Invalid(string message) => new(SleapErrorKind.InvalidArgument, message);
}
