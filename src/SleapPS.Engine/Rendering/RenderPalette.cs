using SleapPS.Engine.Data;

namespace SleapPS.Engine.Rendering;

/// <summary>An (R, G, B) colour, 0 to 255 each.</summary>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}";
}

/// <summary>
/// The colours instances are drawn in: matplotlib's "tab10" palette without its grey (grey vanishes
/// on the grayscale videos most labs record). Tracked instances take the colour of their track's
/// position in <see cref="Labels.Tracks"/>, so an animal keeps its colour on every frame; untracked
/// instances take the colour of their position in the frame. Positions past the end wrap around.
/// </summary>
public static class RenderPalette
{
    public static IReadOnlyList<RgbColor> Colors { get; } =
    [
        new(0x1F, 0x77, 0xB4), // blue
        new(0xFF, 0x7F, 0x0E), // orange
        new(0x2C, 0xA0, 0x2C), // green
        new(0xD6, 0x27, 0x28), // red
        new(0x94, 0x67, 0xBD), // purple
        new(0x8C, 0x56, 0x4B), // brown
        new(0xE3, 0x77, 0xC2), // pink
        new(0xBC, 0xBD, 0x22), // olive
        new(0x17, 0xBE, 0xCF), // cyan
    ];

    /// <summary>The outline around the points of user (hand-labelled) instances, which predicted instances lack.</summary>
    public static RgbColor UserOutline { get; } = new(0xFF, 0xFF, 0xFF);

    /// <summary>
    /// The colour of an instance: its track's colour when it has one (<paramref name="trackIndex"/>,
    /// its position in <see cref="Labels.Tracks"/>), else the colour of its position in the frame.
    /// </summary>
    public static RgbColor ColorOf(int? trackIndex, int positionInFrame) =>
        Colors[(trackIndex ?? positionInFrame) % Colors.Count];
}
