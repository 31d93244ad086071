using SleapPS.Engine.Data;

namespace SleapPS.Tests.Trajectories;

/// <summary>Small tracked labels built point by point, so that the tests know every value the operations see.</summary>
internal static class TrackedLabels
{
    public static readonly string[] NodeNames = ["head", "tail"];

    /// <summary>
    /// One video ("arena.mp4", <paramref name="fps"/>), one skeleton (head, tail) and one track "a" with a predicted
    /// instance on each frame that <paramref name="position"/> gives a position for (null: no instance on that frame).
    /// The tail is the head moved by (10, 0). Every point has score 0.9.
    /// </summary>
    public static Labels Make(int frames, Func<int, (double X, double Y)?> position, double? fps = 30)
    {
        var labels = new Labels();
        var video = new Video("arena.mp4", VideoBackend.Media) { Fps = fps };
        var skeleton = Skeleton.FromNames("mouse", NodeNames);
        var track = new Track("a");
        labels.Videos.Add(video);
        labels.Skeletons.Add(skeleton);
        labels.Tracks.Add(track);
        for (int f = 0; f < frames; f++)
        {
            if (position(f) is not { } p) continue;
            var points = new[] { new Point(p.X, p.Y, Score: 0.9), new Point(p.X + 10, p.Y, Score: 0.9) };
            labels.LabeledFrames.Add(new LabeledFrame(video, f, [new PredictedInstance(skeleton, points, score: 1.8, track: track)]));
        }
        return labels;
    }

    /// <summary>The track's head point on a frame, or null when the track has no instance there.</summary>
    public static Point? Head(Labels labels, long frame) =>
        labels.LabeledFrames.Where(f => f.FrameIndex == frame).SelectMany(f => f.Instances).FirstOrDefault(i => i.Track?.Name == "a")?.Points[0];

    /// <summary>Every point of every instance, in order, to compare a labels object before and after an operation.</summary>
    public static List<(long Frame, Point Point)> Snapshot(Labels labels) =>
        labels.LabeledFrames.SelectMany(f => f.Instances.SelectMany(i => i.Points.Select(p => (f.FrameIndex, p)))).ToList();
}
