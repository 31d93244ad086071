namespace SleapPS.Engine.Data;

/// <summary>The instances found or labelled on one frame of one video.</summary>
public sealed class LabeledFrame
{
    public LabeledFrame(Video video, long frameIndex, IEnumerable<Instance>? instances = null)
    {
        Video = video;
        FrameIndex = frameIndex;
        Instances = instances?.ToList() ?? new List<Instance>();
    }

    public Video Video { get; }
    public long FrameIndex { get; }
    public List<Instance> Instances { get; }

    public IEnumerable<Instance> UserInstances => Instances.Where(i => !i.IsPredicted);
    public IEnumerable<PredictedInstance> PredictedInstances => Instances.OfType<PredictedInstance>();

    public override string ToString() => $"Frame {FrameIndex} of {Video.Filename} ({Instances.Count} instances)";
}
