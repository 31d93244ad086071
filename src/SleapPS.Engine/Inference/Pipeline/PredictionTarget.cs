using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// Frames of one video to predict on: all of them, or a list in the order to predict them, with the user
/// instances of labelled frames as ground truth for a predictor whose stage ground truth replaces (docs/design/inference.md §9.6).
/// Build targets with <see cref="PredictionTargets"/>.
/// </summary>
public sealed class PredictionTarget
{
    public PredictionTarget(Video video, IReadOnlyList<long>? frames = null, IReadOnlyDictionary<long, IReadOnlyList<Instance>>? groundTruth = null)
    {
        ArgumentNullException.ThrowIfNull(video);
        Video = video;
        Frames = frames;
        GroundTruth = groundTruth;
    }

    public Video Video { get; }

    /// <summary>The frames to predict, in order; null for every frame of the video.</summary>
    public IReadOnlyList<long>? Frames { get; }

    /// <summary>User instances by frame index; null when the frames come from a plain video.</summary>
    public IReadOnlyDictionary<long, IReadOnlyList<Instance>>? GroundTruth { get; }

    /// <summary>How many frames this target names; null while the video's frame count is unknown.</summary>
    public long? FrameCount => Frames?.Count ?? Video.FrameCount;

    /// <summary>The frames to predict, once the video's frame count is known.</summary>
    public IEnumerable<long> FrameIndices(long videoFrameCount)
    {
        if (Frames is not null) return Frames;
        return Sequence(videoFrameCount);

        static IEnumerable<long> Sequence(long count)
        {
            for (long i = 0; i < count; i++) yield return i;
        }
    }

    public override string ToString() =>
        $"{Video.Filename}: {(Frames is null ? "all frames" : FrameList.Format(Frames))}";
}
