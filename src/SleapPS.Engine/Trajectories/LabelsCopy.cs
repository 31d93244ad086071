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
        var copied = new Dictionary<Instance, Instance>(ReferenceEqualityComparer.Instance);
        foreach (var frame in source.LabeledFrames)
        {
            var instances = new List<Instance>(frame.Instances.Count);
            foreach (var instance in frame.Instances)
            {
                Instance clone = instance is PredictedInstance predicted
                    ? new PredictedInstance(predicted.Skeleton, predicted.Points.ToArray(), predicted.Score, predicted.Track, predicted.TrackingScore)
                    : new Instance(instance.Skeleton, instance.Points.ToArray(), instance.Track);
                copied[instance] = clone;
                instances.Add(clone);
            }
            foreach (var instance in frame.Instances)
                if (instance.FromPredicted is { } from)
                    copied[instance].FromPredicted = copied.TryGetValue(from, out var fromCopy) ? (PredictedInstance)fromCopy : from;
            copied.Clear();
            copy.LabeledFrames.Add(new LabeledFrame(frame.Video, frame.FrameIndex, instances));
        }
        return copy;
    }
}
