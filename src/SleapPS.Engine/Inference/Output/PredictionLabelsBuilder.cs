using SleapPS.Engine.Data;

namespace SleapPS.Engine.Inference.Output;

/// <summary>
/// Collects predictions into a <see cref="Labels"/> object as sleap-track builds its output: one labelled frame per
/// frame predicted, in prediction order (empty frames kept unless dropped, as <c>--no-empty-frames</c> does), the
/// predictor's skeleton, the videos in the order given, and the tracks the instances carry.
/// </summary>
public sealed class PredictionLabelsBuilder
{
    private readonly bool _dropEmptyFrames;

    public PredictionLabelsBuilder(Skeleton skeleton, IEnumerable<Video> videos, bool dropEmptyFrames)
    {
        ArgumentNullException.ThrowIfNull(skeleton);
        ArgumentNullException.ThrowIfNull(videos);
        _dropEmptyFrames = dropEmptyFrames;
        Labels.Skeletons.Add(skeleton);
        foreach (var video in videos)
            if (!Labels.Videos.Contains(video)) Labels.Videos.Add(video);
    }

    public Labels Labels { get; } = new();

    /// <summary>Adds a frame's prediction; returns false when it was dropped for having no instances.</summary>
    public bool Add(FramePrediction prediction)
    {
        var frame = ToLabeledFrame(prediction, _dropEmptyFrames);
        if (frame is null) return false;
        Labels.LabeledFrames.Add(frame);
        return true;
    }

    /// <summary>Adds the videos and tracks the frames refer to and the provenance; returns the labels.</summary>
    public Labels Finish(IReadOnlyDictionary<string, object?>? provenance = null)
    {
        Labels.CollectReferencedItems();
        if (provenance is not null)
            foreach (var (key, value) in provenance) Labels.Provenance[key] = value;
        return Labels;
    }

    /// <summary>The labelled frame of a prediction, or null when it is empty and empty frames are dropped.</summary>
    public static LabeledFrame? ToLabeledFrame(FramePrediction prediction, bool dropEmptyFrames) =>
        dropEmptyFrames && prediction.Instances.Count == 0
            ? null
            : new LabeledFrame(prediction.Video, prediction.FrameIndex, prediction.Instances);
}
