using SleapPS.Engine;
using SleapPS.Engine.IO;
using SleapPS.Engine.Trajectories;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Trajectories;

/// <summary>Velocities, speeds and distances (docs/design/trajectories.md §7) on trajectories whose values are known in closed form.</summary>
public class KinematicsTests
{
    // Head at (3 + 2f, 5 - 1.5f): 2.5 px per frame, every step exactly 2.5 px (sqrt(6.25)).
    private static Engine.Data.Labels ConstantVelocity(int frames, double? fps = 30) =>
        TrackedLabels.Make(frames, f => (3 + 2.0 * f, 5 - 1.5 * f), fps);

    [Fact]
    public void A_constant_velocity_track_has_that_speed_on_every_frame_per_frame_and_per_second()
    {
        var rows = Kinematics.Rows(ConstantVelocity(10), new KinematicsOptions { Nodes = ["head"] }).ToList();

        Assert.Equal(10, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal((2.0, -1.5, 2.5), (r.VelocityX, r.VelocityY, r.Speed));
            Assert.Equal(75.0, r.SpeedPerSecond);
            Assert.Equal(60.0, r.VelocityXPerSecond);
            Assert.Equal(r.Frame / 30.0, r.Time);
        });
        Assert.Equal(Enumerable.Range(0, 10).Select(f => f == 0 ? 0 : 2.5), rows.Select(r => r.Distance));
        Assert.Equal(Enumerable.Range(0, 10).Select(f => 2.5 * f), rows.Select(r => r.CumulativeDistance));
    }

    [Fact]
    public void The_summary_distance_is_the_exact_sum_of_the_steps()
    {
        var summary = Assert.Single(Kinematics.Summaries(ConstantVelocity(101), new KinematicsOptions()));

        Assert.Equal(("a", Kinematics.CentroidName, 0L, 100L, 101), (summary.Track, summary.Node, summary.FirstFrame, summary.LastFrame, summary.Frames));
        Assert.Equal(250.0, summary.Distance);
        Assert.Equal((2.5, 2.5, 75.0), (summary.MeanSpeed, summary.MaxSpeed, summary.MeanSpeedPerSecond));
        Assert.Equal(100 / 30.0, summary.Duration);
    }

    [Fact]
    public void The_centroid_is_the_mean_of_the_nodes_present()
    {
        var labels = ConstantVelocity(3);
        labels.LabeledFrames[1].Instances[0].Points[1] = Engine.Data.Point.MissingPredicted;

        var rows = Kinematics.Rows(labels, new KinematicsOptions()).ToList();

        Assert.Equal([8.0, 5.0, 12.0], rows.Select(r => r.X)); // head + 5 where the tail (head + 10) is there, the head alone where not
    }

    [Fact]
    public void Steps_are_never_taken_across_a_gap_and_each_run_is_differentiated_alone()
    {
        var labels = TrackedLabels.Make(7, f => f is 3 ? null : (f * f, 0.0));

        var rows = Kinematics.Rows(labels, new KinematicsOptions { Nodes = ["head"] }).ToList();

        Assert.Equal([0L, 1, 2, 4, 5, 6], rows.Select(r => r.Frame));
        // numpy.gradient of [0, 1, 4] is [1, 2, 3]; of [16, 25, 36] it is [9, 10, 11].
        Assert.Equal([1.0, 2, 3, 9, 10, 11], rows.Select(r => r.VelocityX));
        Assert.Equal([0.0, 1, 3, 0, 9, 11], rows.Select(r => r.Distance));
        Assert.Equal(24.0, rows[^1].CumulativeDistance);
    }

    [Fact]
    public void A_lone_point_has_no_velocity()
    {
        var rows = Kinematics.Rows(TrackedLabels.Make(1, f => (1, 1)), new KinematicsOptions { Nodes = ["head"] }).ToList();

        Assert.True(double.IsNaN(Assert.Single(rows).Speed));
        Assert.Equal(0, rows[0].Distance);
    }

    [Fact]
    public void An_unknown_frame_rate_is_a_clear_error_unless_one_is_given()
    {
        var labels = ConstantVelocity(3, fps: null);

        var error = Assert.Throws<SleapException>(() => Kinematics.Rows(labels, new KinematicsOptions()));
        Assert.Equal("The frame rate of video 'arena.mp4' is not known: the labels file does not store it and the video file was not found. "
            + "Give the frame rate (-FrameRate) to have speeds per second.", error.Message);

        Assert.All(Kinematics.Rows(labels, new KinematicsOptions { FrameRate = 10 }), r => Assert.Equal(25.0, r.SpeedPerSecond));
    }

    [Fact]
    public void A_node_the_skeleton_lacks_is_a_clear_error()
    {
        var error = Assert.Throws<SleapException>(() => Kinematics.Rows(ConstantVelocity(3), new KinematicsOptions { Nodes = ["nose"] }));
        Assert.Equal("Skeleton 'mouse' has no node named 'nose'. Its nodes are: head, tail.", error.Message);
    }

    [Fact]
    public void On_the_fixture_each_tracks_distance_is_the_sum_of_its_rows_steps()
    {
        var labels = LabelsReader.Read(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
        var options = new KinematicsOptions { FrameRate = 30 }; // the centroid: the 25 short tracks have 2 or 3 points each, few of them thoraxes

        var rows = Kinematics.Rows(labels, options).ToList();
        var summaries = Kinematics.Summaries(labels, options).ToList();

        Assert.Equal(27, summaries.Count);
        foreach (var summary in summaries)
        {
            var own = rows.Where(r => r.Track == summary.Track).ToList();
            Assert.Equal(own.Count, summary.Frames);
            Assert.Equal(own.Aggregate(0.0, (sum, r) => sum + r.Distance), summary.Distance);
            Assert.Equal(own[^1].CumulativeDistance, summary.Distance);
        }
    }
}
