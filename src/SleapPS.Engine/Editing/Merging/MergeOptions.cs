namespace SleapPS.Engine.Editing.Merging;

/// <summary>How a merge decides that a video of the incoming labels is one the base already has (docs/design/labels-operations.md §2.2).</summary>
public enum VideoMatch
{
    /// <summary>The same object, the same path, or else a file name (with as many parent folders as it takes) that only one base video has; sizes that differ rule a match out.</summary>
    Auto,
    /// <summary>The same stored path, or both found at the same place on this machine.</summary>
    Path,
    /// <summary>The same file name, whatever the folders.</summary>
    Basename,
}

/// <summary>What a merge does with a frame that both labels have (docs/design/labels-operations.md §2.4).</summary>
public enum FrameMergeStrategy
{
    /// <summary>Pair instances by pose; a user instance wins over a prediction, a newer prediction replaces an older one, unpaired incoming instances are added.</summary>
    Auto,
    /// <summary>Keep the base frame's instances; ignore the incoming ones.</summary>
    KeepOriginal,
    /// <summary>Replace the base frame's instances with the incoming ones.</summary>
    KeepNew,
    /// <summary>Keep every instance of both (duplicates included).</summary>
    KeepBoth,
    /// <summary>Keep the base frame's user instances, drop its predictions, add the incoming predictions.</summary>
    ReplacePredictions,
}

/// <summary>The choices of a merge, with sleap-io's defaults where sleap-io has one.</summary>
public sealed class MergeOptions
{
    private readonly double _poseTolerance = 5.0;

    public VideoMatch VideoMatch { get; init; } = VideoMatch.Auto;

    public FrameMergeStrategy FrameStrategy { get; init; } = FrameMergeStrategy.Auto;

    /// <summary>
    /// Pixels within which every visible node of two instances must lie for them to be the same animal on a frame both
    /// labels have (sleap-io's spatial instance matching; 5 by default).
    /// </summary>
    public double PoseTolerance
    {
        get => _poseTolerance;
        init => _poseTolerance = value >= 0 && double.IsFinite(value) ? value
            : throw new SleapException(SleapErrorKind.InvalidArgument, $"The pose tolerance is {value}; it must be a finite number of pixels, 0 or more.");
    }
}
