using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Trajectories;

namespace SleapPS.Tests.Trajectories;

/// <summary>Filling gaps by linear interpolation (docs/design/trajectories.md §4), against the straight line worked out by hand.</summary>
public class GapInterpolationTests
{
    // Frames 0-2 and 8-10 have the track; frames 3-7 (a gap of 5 frames) do not. Frame 2's head is at (12.5, 40),
    // frame 8's at (61.25, -8): the line between them is x = 12.5 + 8.125 (k - 2), y = 40 - 8 (k - 2).
    private static Labels GapOfFive() => TrackedLabels.Make(11, f => f switch
    {
        < 2 => (f, 100),
        2 => (12.5, 40),
        8 => (61.25, -8),
        > 8 => (70 + f, f * f),
        _ => null,
    });

    [Fact]
    public void A_gap_of_5_frames_is_filled_with_the_straight_line_and_marked_as_not_detected()
    {
        var input = GapOfFive();
        var before = TrackedLabels.Snapshot(input);

        var result = TrajectoryCleaning.FillGaps(input, maxGap: 5);

        for (int k = 3; k <= 7; k++)
        {
            var head = TrackedLabels.Head(result.Labels, k)!.Value;
            Assert.Equal(12.5 + 8.125 * (k - 2), head.X, 12);
            Assert.Equal(40 - 8.0 * (k - 2), head.Y, 12);
            Assert.Equal(0.0, head.Score);
            Assert.False(head.Complete);
            var instance = (PredictedInstance)result.Labels.LabeledFrames.Single(f => f.FrameIndex == k).Instances.Single();
            Assert.Equal(0.0, instance.Score);
            Assert.Equal("a", instance.Track!.Name);
        }
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), result.Labels.LabeledFrames.Select(f => f.FrameIndex));
        var head0 = result.Changes.Single(c => c.Node == "head");
        Assert.Equal((6, 11, 5, 1, 0), (head0.PointsBefore, head0.PointsAfter, head0.Filled, head0.GapsFilled, head0.GapsLeft));
        Assert.Equal(TrajectoryOperation.Interpolate, head0.Operation);
        // The input is as it was: no new frames, same points.
        Assert.Equal(before, TrackedLabels.Snapshot(input));
        Assert.Equal(6, input.LabeledFrames.Count);
        Assert.False(input.Provenance.ContainsKey("trajectory_cleaning"));
        Assert.True(result.Labels.Provenance.ContainsKey("trajectory_cleaning"));
    }

    [Fact]
    public void A_gap_longer_than_max_gap_is_left_whole()
    {
        var result = TrajectoryCleaning.FillGaps(GapOfFive(), maxGap: 4);

        Assert.Equal(6, result.Labels.LabeledFrames.Count);
        Assert.All(result.Changes, c => Assert.Equal((0, 0, 1), (c.Filled, c.GapsFilled, c.GapsLeft)));
    }

    [Fact]
    public void A_node_missing_inside_an_instance_is_filled_in_that_instance_and_the_ends_are_never_extrapolated()
    {
        var input = TrackedLabels.Make(6, f => (2.0 * f, 1.0));
        input.LabeledFrames[0].Instances[0].Points[0] = Point.MissingPredicted; // leading: stays missing
        input.LabeledFrames[3].Instances[0].Points[0] = Point.MissingPredicted; // inside: filled
        input.LabeledFrames[5].Instances[0].Points[0] = Point.MissingPredicted; // trailing: stays missing

        var result = TrajectoryCleaning.FillGaps(input, maxGap: 1);

        Assert.False(TrackedLabels.Head(result.Labels, 0)!.Value.IsPresent);
        Assert.Equal(new Point(6, 1, Visible: true, Complete: false, Score: 0), TrackedLabels.Head(result.Labels, 3));
        Assert.False(TrackedLabels.Head(result.Labels, 5)!.Value.IsPresent);
        Assert.Equal(1.8, ((PredictedInstance)result.Labels.LabeledFrames[3].Instances[0]).Score);
        Assert.Equal(1, result.Changes.Single(c => c.Node == "head").Filled);
        Assert.Equal(0, result.Changes.Single(c => c.Node == "tail").Filled);
    }

    [Fact]
    public void A_gap_that_holds_a_user_instance_missing_the_node_is_left()
    {
        var input = TrackedLabels.Make(5, f => (f, f));
        var frame = input.LabeledFrames[2];
        var user = new Instance(frame.Instances[0].Skeleton, [Point.Missing, new Point(1, 1)], frame.Instances[0].Track);
        frame.Instances.Clear();
        frame.Instances.Add(user);

        var result = TrajectoryCleaning.FillGaps(input, maxGap: 3);

        var head = result.Changes.Single(c => c.Node == "head");
        Assert.Equal((0, 1), (head.Filled, head.GapsLeft));
        Assert.False(result.Labels.LabeledFrames[2].Instances.Single().Points[0].IsPresent);
    }

    [Fact]
    public void Untracked_labels_are_a_clear_error()
    {
        var input = TrackedLabels.Make(3, f => (f, f));
        foreach (var instance in input.AllInstances) instance.Track = null;
        input.Tracks.Clear();

        var error = Assert.Throws<SleapException>(() => TrajectoryCleaning.FillGaps(input, 2));

        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("The labels have no tracked instances to fill: trajectories follow tracks. Track them first (Start-SleapTracker).", error.Message);
    }
}
