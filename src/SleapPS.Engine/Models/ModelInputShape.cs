namespace SleapPS.Engine.Models;

/// <summary>
/// A network's input: the height and width it was trained at (null when unknown), its channels, and its
/// max stride (it takes any height and width that are multiples of it).
/// </summary>
public sealed record ModelInputShape(int? Height, int? Width, int Channels, int MaxStride)
{
    /// <summary>"384x384x1 @ max stride 8"; an unknown size shows as "?".</summary>
    public override string ToString() => $"{Height?.ToString() ?? "?"}x{Width?.ToString() ?? "?"}x{Channels} @ max stride {MaxStride}";
}
