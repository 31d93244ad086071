using SleapPS.Engine.Data;

namespace SleapPS.Engine.Inference;

/// <summary>
/// What a predictor found in one frame. Coordinates are in frame pixels with SLEAP's pixel-centre convention
/// (docs/design/inference.md §1: the centre of the top-left pixel is (0, 0)); a node that was not found is NaN.
/// </summary>
public sealed class FramePrediction
{
    public FramePrediction(Video video, long frameIndex)
    {
        ArgumentNullException.ThrowIfNull(video);
        Video = video;
        FrameIndex = frameIndex;
    }

    public Video Video { get; }

    public long FrameIndex { get; }

    /// <summary>The instances SLEAP's predictor would put in the labelled frame, in SLEAP's order (may be empty).</summary>
    public List<PredictedInstance> Instances { get; } = new();

    /// <summary>SLEAP's make_labels=False arrays for this frame (docs/design/inference.md §13), when asked for.</summary>
    public RawFrameOutput? Raw { get; set; }

    /// <summary>The model's output maps for this frame (confidence maps, part affinity fields), when asked for.</summary>
    public IReadOnlyList<NamedMaps>? Maps { get; set; }

    public override string ToString() => $"{Video} frame {FrameIndex}: {Instances.Count} instance(s)";
}
