using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;

namespace SleapPS.Tests.IO;

public class AnalysisArraysTests
{
    private static readonly Skeleton TwoNodes = Skeleton.FromNames("Skeleton-0", ["head", "tail"], [("head", "tail")]);
    private static readonly Video Clip = new("clip.mp4", VideoBackend.Media);

    private static Instance User(double x, Track? track = null) => new(TwoNodes, [new Point(x, x + 1), new Point(x + 2, x + 3, Visible: false)], track);

    private static PredictedInstance Predicted(double x, Track? track = null) =>
        new(TwoNodes, [new Point(x, x + 1, Score: 0.5), Point.MissingPredicted], score: 0.75, track: track, trackingScore: 0.25);

    private static Labels LabelsOf(params LabeledFrame[] frames)
    {
        var labels = new Labels();
        labels.LabeledFrames.AddRange(frames);
        labels.CollectReferencedItems();
        return labels;
    }

    [Fact]
    public void UntrackedFramesKeepEveryInstanceInItsOwnSlotAndWarn()
    {
        var labels = LabelsOf(new LabeledFrame(Clip, 1, [User(10), User(20)]), new LabeledFrame(Clip, 3, [Predicted(30)]));
        var warnings = new List<string>();
        var arrays = AnalysisArrays.Build(labels, warn: warnings.Add);

        Assert.Equal((4, 2, 2), (arrays.FrameCount, arrays.NodeCount, arrays.TrackCount));
        Assert.Empty(arrays.TrackNames);
        Assert.Equal(10, arrays.Tracks[1, 0, 0, 0]);
        Assert.Equal(21, arrays.Tracks[1, 0, 1, 1]);
        Assert.True(double.IsNaN(arrays.Tracks[1, 1, 0, 0]));  // invisible point
        Assert.Equal(30, arrays.Tracks[3, 0, 0, 0]);
        Assert.Equal(new byte[,] { { 0, 1, 0, 1 }, { 0, 1, 0, 0 } }, arrays.TrackOccupancy);
        Assert.True(double.IsNaN(arrays.PointScores[1, 0, 0]));  // user instance
        Assert.Equal(0.5, arrays.PointScores[3, 0, 0]);
        Assert.Equal(0.0, arrays.PointScores[3, 1, 0]);  // missing predicted node
        Assert.Equal(0.75, arrays.InstanceScores[3, 0]);
        Assert.Equal(0.25, arrays.TrackingScores[3, 0]);
        Assert.True(double.IsNaN(arrays.InstanceScores[0, 0]));
        Assert.Equal(["head", "tail"], arrays.NodeNames);
        Assert.Equal([("head", "tail")], arrays.EdgeNames);
        Assert.Equal([(0, 1)], arrays.EdgeIndices);

        var warning = Assert.Single(warnings);
        Assert.StartsWith("The labels have no tracks and some frames have up to 2 instances, so the export has 2 slots", warning);
    }

    [Fact]
    public void UserInstancesWinOverPredictionsWithoutWarning()
    {
        var labels = LabelsOf(new LabeledFrame(Clip, 0, [Predicted(5), User(10)]));
        var warnings = new List<string>();
        var arrays = AnalysisArrays.Build(labels, warn: warnings.Add);

        Assert.Equal(1, arrays.TrackCount);
        Assert.Equal(10, arrays.Tracks[0, 0, 0, 0]);
        Assert.True(double.IsNaN(arrays.InstanceScores[0, 0]));
        Assert.Empty(warnings);
    }

    [Fact]
    public void SharedTrackKeepsTheLastInstanceAndNamesFrameAndTrack()
    {
        var female = new Track("female");
        var male = new Track("male");
        var unused = new Track("ghost");
        var labels = LabelsOf(
            new LabeledFrame(Clip, 2, [Predicted(1, female), Predicted(2, female), Predicted(3, male)]),
            new LabeledFrame(Clip, 4, [User(4, male), Predicted(5, male)]));
        labels.Tracks.Insert(0, unused);
        var warnings = new List<string>();
        var arrays = AnalysisArrays.Build(labels, warn: warnings.Add);

        // The empty track is removed.
        Assert.Equal(["female", "male"], arrays.TrackNames);
        Assert.Equal(2, arrays.Tracks[2, 0, 0, 0]);
        Assert.Equal(3, arrays.Tracks[2, 0, 0, 1]);
        Assert.Equal(4, arrays.Tracks[4, 0, 0, 1]);
        Assert.Equal(new byte[,] { { 0, 0, 1, 0, 0 }, { 0, 0, 1, 0, 1 } }, arrays.TrackOccupancy);
        Assert.Equal(["Frame 2 has 2 instances on track 'female'; only the last one is exported, as SLEAP does."], warnings);
    }

    [Fact]
    public void PicksTheGivenVideoAndRefusesAForeignOne()
    {
        var other = new Video("other.mp4", VideoBackend.Media);
        var labels = LabelsOf(new LabeledFrame(Clip, 0, [User(1)]), new LabeledFrame(other, 7, [User(2)]));
        var arrays = AnalysisArrays.Build(labels, other);
        Assert.Equal((1, 8), (arrays.VideoIndex, arrays.FrameCount));
        Assert.Equal(2, arrays.Tracks[7, 0, 0, 0]);

        var stranger = new Video("stranger.mp4", VideoBackend.Media);
        var error = Assert.Throws<SleapException>(() => AnalysisArrays.Build(labels, stranger));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("Cannot export the labels for video 'stranger.mp4': it is not one of their videos (clip.mp4, other.mp4). Pick one of those.", error.Message);
    }
}
