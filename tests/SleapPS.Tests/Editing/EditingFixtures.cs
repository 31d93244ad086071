using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Editing;

/// <summary>The fixture the labels-operation tests work on, and small labels built in memory.</summary>
internal static class EditingFixtures
{
    public static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");

    public static Labels ReadPredictions() => LabelsReader.Read(Predictions);

    /// <summary>Canonical JSON of labels, to show that an operation left its input as it was.</summary>
    public static string Snapshot(Labels labels) => CanonicalLabels.From(labels).ToJsonString();

    /// <summary>Labels of one video and a two-node skeleton, with the frames given.</summary>
    public static Labels Small(string videoPath, string[] nodes, params (long Frame, Instance[] Instances)[] frames)
    {
        var labels = new Labels();
        var video = new Video(videoPath, VideoBackend.Media);
        labels.Videos.Add(video);
        foreach (var (frame, instances) in frames) labels.LabeledFrames.Add(new LabeledFrame(video, frame, instances));
        labels.CollectReferencedItems();
        if (labels.Skeletons.Count == 0) labels.Skeletons.Add(Skeleton.FromNames("fly", nodes));
        return labels;
    }

    public static Point[] Points(params (double X, double Y)[] xy) => xy.Select(p => new Point(p.X, p.Y)).ToArray();

    public static Point[] PredictedPoints(params (double X, double Y)[] xy) => xy.Select(p => new Point(p.X, p.Y, Score: 0.9)).ToArray();
}
