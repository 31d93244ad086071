using System.Globalization;

namespace SleapPS.Engine.Models;

/// <summary>
/// A batch size as a user gives it: a number of frames, or <c>Auto</c> for the largest batch that fits the device
/// (<see cref="AutoBatchSize"/>, docs/design/gpu.md §4). PowerShell converts <c>-BatchSize 8</c> through the implicit
/// conversion from int and <c>-BatchSize Auto</c> through <see cref="Parse"/>.
/// </summary>
public readonly record struct BatchSizeSetting
{
    /// <summary>The largest batch a user may ask for, as the cmdlets have always allowed.</summary>
    public const int Largest = 4096;

    private BatchSizeSetting(int? frames) => Frames = frames;

    /// <summary>The frames per batch; null for Auto.</summary>
    public int? Frames { get; }

    public bool IsAuto => Frames is null;

    public static BatchSizeSetting Auto => new(null);

    /// <summary>A fixed batch of 1 to <see cref="Largest"/> frames.</summary>
    /// <exception cref="SleapException">InvalidArgument naming the value and the range.</exception>
    public static BatchSizeSetting Of(int frames) => frames is >= 1 and <= Largest
        ? new(frames)
        : throw Invalid(frames.ToString(CultureInfo.InvariantCulture));

    public static implicit operator BatchSizeSetting(int frames) => Of(frames);

    /// <summary>"Auto" (any case) or a whole number of frames from 1 to <see cref="Largest"/>.</summary>
    public static BatchSizeSetting Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.Equals("Auto", StringComparison.OrdinalIgnoreCase))
            return Auto;
        return int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int frames) ? Of(frames) : throw Invalid(text);
    }

    private static SleapException Invalid(string text) => new(SleapErrorKind.InvalidArgument,
        $"The batch size '{text}' is not valid: give a number of frames from 1 to {Largest}, or Auto for the largest batch that fits the device.");

    public override string ToString() => Frames?.ToString(CultureInfo.InvariantCulture) ?? "Auto";
}
