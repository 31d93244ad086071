using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>Which frames to predict on, as sleap-track chooses them (docs/design/inference.md §3.1 and §16.2).</summary>
public static class PredictionTargets
{
    /// <summary>Every frame of a video, or the frames listed (see <see cref="FrameList"/>).</summary>
    public static PredictionTarget Video(Video video, IReadOnlyList<long>? frames = null) => new(video, frames);

    /// <summary>
    /// The labelled frames of <paramref name="labels"/>, in file order (a new target each time the video changes),
    /// with each frame's user instances as ground truth.
    /// </summary>
    public static IReadOnlyList<PredictionTarget> LabeledFrames(Labels labels) =>
        Runs(labels.LabeledFrames.Select(f => (f.Video, f.FrameIndex, (IReadOnlyList<Instance>?)f.UserInstances.ToList())));

    /// <summary>
    /// The suggested frames of <paramref name="labels"/> that have no user instances (SLEAP's
    /// <c>--only-suggested-frames</c>), in suggestion order.
    /// </summary>
    public static IReadOnlyList<PredictionTarget> SuggestedFrames(Labels labels)
    {
        var userLabelled = labels.LabeledFrames.Where(f => f.UserInstances.Any())
            .Select(f => (f.Video, f.FrameIndex)).ToHashSet();
        return Runs(labels.Suggestions.Where(s => !userLabelled.Contains((s.Video, s.FrameIndex)))
            .Select(s => (s.Video, s.FrameIndex, (IReadOnlyList<Instance>?)null)));
    }

    /// <summary>The frames of one video of a labels object, by frame list (sleap-track's <c>--video.index</c> with <c>--frames</c>).</summary>
    public static PredictionTarget LabelsVideo(Labels labels, Video video, IReadOnlyList<long>? frames)
    {
        var groundTruth = labels.LabeledFrames.Where(f => ReferenceEquals(f.Video, video))
            .ToDictionary(f => f.FrameIndex, f => (IReadOnlyList<Instance>)f.UserInstances.ToList());
        return new PredictionTarget(video, frames, groundTruth);
    }

    /// <summary>Consecutive frames of one video make one target; duplicates of a (video, frame) are dropped.</summary>
    private static List<PredictionTarget> Runs(IEnumerable<(Video Video, long Frame, IReadOnlyList<Instance>? Truth)> frames)
    {
        var targets = new List<PredictionTarget>();
        var seen = new HashSet<(Video, long)>();
        Video? current = null;
        List<long> indices = [];
        Dictionary<long, IReadOnlyList<Instance>>? truth = null;
        foreach (var (video, frame, frameTruth) in frames)
        {
            if (!seen.Add((video, frame))) continue;
            if (!ReferenceEquals(video, current))
            {
                Flush();
                current = video;
                indices = [];
                truth = frameTruth is null ? null : new();
            }
            indices.Add(frame);
            if (frameTruth is not null) truth?.Add(frame, frameTruth);
        }
        Flush();
        return targets;

        void Flush()
        {
            if (current is not null && indices.Count > 0)
                targets.Add(new PredictionTarget(current, indices, truth));
        }
    }
}
