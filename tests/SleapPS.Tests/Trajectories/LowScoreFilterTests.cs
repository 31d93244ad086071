using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Trajectories;

namespace SleapPS.Tests.Trajectories;

/// <summary>Dropping points under a score (docs/design/trajectories.md §3), as movement's filter_by_confidence.</summary>
public class LowScoreFilterTests
{
    [Fact]
    public void Points_under_the_score_become_missing_and_points_without_a_score_or_from_users_stay()
    {
        var input = TrackedLabels.Make(4, f => (f, f));
        var points = input.LabeledFrames[1].Instances[0].Points;
        points[0] = points[0] with { Score = 0.2 };                     // under 0.5: dropped
        points[1] = points[1] with { Score = 0.5 };                     // at 0.5: kept (movement keeps score >= threshold)
        input.LabeledFrames[2].Instances[0].Points[0] = input.LabeledFrames[2].Instances[0].Points[0] with { Score = double.NaN }; // kept
        var frame3 = input.LabeledFrames[3];
        frame3.Instances.Add(new Instance(frame3.Instances[0].Skeleton, [new Point(1, 1), new Point(2, 2)], frame3.Instances[0].Track));
        var before = TrackedLabels.Snapshot(input);

        var result = TrajectoryCleaning.RemoveLowScorePoints(input, 0.5);

        Assert.Equal(Point.MissingPredicted, result.Labels.LabeledFrames[1].Instances[0].Points[0]);
        Assert.True(result.Labels.LabeledFrames[1].Instances[0].Points[1].IsPresent);
        Assert.True(result.Labels.LabeledFrames[2].Instances[0].Points[0].IsPresent);
        Assert.Equal(new Point(1, 1), result.Labels.LabeledFrames[3].Instances[1].Points[0]);
        var head = result.Changes.Single(c => c.Node == "head");
        Assert.Equal((4, 3, 1), (head.PointsBefore, head.PointsAfter, head.Removed));
        Assert.Equal(0, result.Changes.Single(c => c.Node == "tail").Removed);
        Assert.Equal(before, TrackedLabels.Snapshot(input));
    }

    [Fact]
    public void A_track_the_labels_lack_is_a_clear_error_that_lists_their_tracks()
    {
        var error = Assert.Throws<SleapException>(() =>
            TrajectoryCleaning.RemoveLowScorePoints(TrackedLabels.Make(2, f => (f, f)), 0.5, new TrajectorySelection { Tracks = ["b"] }));

        Assert.Equal("The labels have no track named 'b'. Their tracks are: a.", error.Message);
    }

    [Fact]
    public void On_the_fixture_the_points_removed_are_exactly_those_scored_under_the_threshold()
    {
        var input = SleapPS.Engine.IO.LabelsReader.Read(Support.Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
        var predicted = input.AllInstances.OfType<PredictedInstance>().SelectMany(i => i.Points).Where(p => p.IsPresent).ToList();

        var result = TrajectoryCleaning.RemoveLowScorePoints(input, 0.4);

        int under = predicted.Count(p => p.Score < 0.4);
        Assert.True(under > 0);
        Assert.Equal(under, result.Changes.Sum(c => c.Removed));
        Assert.Equal(predicted.Count - under, result.Labels.AllInstances.SelectMany(i => i.Points).Count(p => p.IsPresent));
        Assert.All(result.Labels.AllInstances.SelectMany(i => i.Points).Where(p => p.IsPresent), p => Assert.True(p.Score >= 0.4));
        Assert.All(result.Changes, c => Assert.NotNull(c.Track));
    }
}
