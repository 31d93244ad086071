using SleapPS.Engine.Data;

namespace SleapPS.Engine.Trajectories;

/// <summary>The copy a trajectory operation changes, so that its input is never changed in place.</summary>
internal static class LabelsCopy
{
    /// <summary>
    /// New frames, instances and point arrays; videos, skeletons and tracks are shared (they are not changed). User
    /// instances keep their link to the prediction they came from, pointed at the copy of it. The provenance
    /// dictionary is new too, so that recording an operation leaves the source's alone.
    /// </summary>
    public static Labels Of(Labels source)
    {
        var copy = new Labels { SourcePath = source.SourcePath };
        copy.Videos.AddRange(source.Videos);
        copy.Skeletons.AddRange(source.Skeletons);
        copy.Tracks.AddRange(source.Tracks);
        copy.Suggestions.AddRange(source.Suggestions);
        foreach (var (key, value) in source.Provenance) copy.Provenance[key] = value;
        foreach (var frame in source.LabeledFrames)
        {
            var instances = new List<Instance>(frame.Instances.Count);
            foreach (var instance in frame.Instances)
                instances.Add(instance is PredictedInstance predicted
                    ? new PredictedInstance(predicted.Skeleton, predicted.Points.ToArray(), predicted.Score, predicted.Track, predicted.TrackingScore)
                    : new Instance(instance.Skeleton, instance.Points.ToArray(), instance.Track));
            for (int i = 0; i < frame.Instances.Count; i++)
            {
                if (frame.Instances[i].FromPredicted is not { } from) continue;
                int index = frame.Instances.IndexOf(from);
                instances[i].FromPredicted = index >= 0 ? (PredictedInstance)instances[index] : from;
            }
            copy.LabeledFrames.Add(new LabeledFrame(frame.Video, frame.FrameIndex, instances));
        }
        return copy;
    }
}
