using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Trajectories;

namespace SleapPS.Tests.Trajectories;

/// <summary>Median and Savitzky-Golay smoothing (docs/design/trajectories.md §5) on values worked out by hand; scipy checks the fixture in TrajectoryReferenceTests.</summary>
public class SmoothingTests
{
    [Fact]
    public void Savitzky_Golay_of_window_5_returns_a_quadratic_trajectory_unchanged_edges_included()
    {
        static (double, double) Quadratic(int f) => (0.5 * f * f - 3 * f + 7, -0.25 * f * f + 2 * f + 100);
        var input = TrackedLabels.Make(20, f => Quadratic(f));

        var result = TrajectoryCleaning.Smooth(input, new SmoothingOptions(SmoothingMethod.SavitzkyGolay, 5, 2));

        for (int f = 0; f < 20; f++)
        {
            var head = TrackedLabels.Head(result.Labels, f)!.Value;
            Assert.Equal(Quadratic(f).Item1, head.X, 9);
            Assert.Equal(Quadratic(f).Item2, head.Y, 9);
            Assert.Equal(0.9, head.Score);
        }
        Assert.All(result.Changes, c => Assert.Equal((20, 20, 0), (c.Smoothed, c.PointsAfter, c.SkippedPoints)));
    }

    [Fact]
    public void Savitzky_Golay_of_order_1_does_change_a_quadratic()
    {
        var result = TrajectoryCleaning.Smooth(TrackedLabels.Make(9, f => (f * f, 0)), new SmoothingOptions(SmoothingMethod.SavitzkyGolay, 5, 1));

        // Inside, the line through 5 values of f² is their mean: f² + 2.
        Assert.Equal(4 * 4 + 2, TrackedLabels.Head(result.Labels, 4)!.Value.X, 9);
    }

    [Fact]
    public void Median_of_window_3_mirrors_the_ends()
    {
        double[] x = [1, 9, 2, 8, 3, 7, 4];
        var result = TrajectoryCleaning.Smooth(TrackedLabels.Make(7, f => (x[f], 0)), new SmoothingOptions(SmoothingMethod.Median, 3));

        // Padded as numpy's 'reflect': 9 | 1 9 2 8 3 7 4 | 7.
        double[] expected = [9, 2, 8, 3, 7, 4, 7];
        Assert.Equal(expected, Enumerable.Range(0, 7).Select(f => TrackedLabels.Head(result.Labels, f)!.Value.X));
    }

    [Fact]
    public void Each_unbroken_run_is_smoothed_alone_and_runs_shorter_than_the_window_are_left()
    {
        double[] x = [1, 9, 2, 8, 3, double.NaN, 5, 0, double.NaN, 4, 4, 4];
        var input = TrackedLabels.Make(12, f => double.IsNaN(x[f]) ? null : (x[f], 0));
        var before = TrackedLabels.Snapshot(input);

        var result = TrajectoryCleaning.Smooth(input, new SmoothingOptions(SmoothingMethod.Median, 3));

        // Run 0-4 alone: 9 | 1 9 2 8 3 | 8. Run 6-7 is shorter than 3: left. Run 9-11 is flat.
        double?[] expected = [9, 2, 8, 3, 8, null, 5, 0, null, 4, 4, 4];
        Assert.Equal(expected, Enumerable.Range(0, 12).Select(f => TrackedLabels.Head(result.Labels, f)?.X));
        var head = result.Changes.Single(c => c.Node == "head");
        Assert.Equal((10, 8, 2), (head.PointsBefore, head.Smoothed, head.SkippedPoints));
        Assert.Equal(before, TrackedLabels.Snapshot(input));
    }

    [Fact]
    public void A_window_larger_than_every_track_is_a_clear_error()
    {
        var input = TrackedLabels.Make(4, f => (f, f));

        var error = Assert.Throws<SleapException>(() => TrajectoryCleaning.Smooth(input, new SmoothingOptions(SmoothingMethod.SavitzkyGolay, 5)));

        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("The smoothing window of 5 frames is longer than every track: the longest, 'a' in 'arena.mp4', spans 4 frames. Use a window of at most 3 frames.", error.Message);
    }

    [Theory]
    [InlineData(SmoothingMethod.Median, 4, 2, "The smoothing window is 4 frames; give an odd number of 3 or more, so that the window is centred on its frame.")]
    [InlineData(SmoothingMethod.SavitzkyGolay, 5, 5, "The polynomial order is 5; it must be 0 or more and less than the window (5 frames).")]
    public void Bad_windows_and_orders_are_clear_errors(SmoothingMethod method, int window, int order, string message)
    {
        var error = Assert.Throws<SleapException>(() => TrajectoryCleaning.Smooth(TrackedLabels.Make(9, f => (f, f)), new SmoothingOptions(method, window, order)));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_node_the_skeleton_lacks_is_a_clear_error_that_lists_its_nodes()
    {
        var selection = new TrajectorySelection { Nodes = ["head", "nose"] };

        var error = Assert.Throws<SleapException>(() => TrajectoryCleaning.Smooth(TrackedLabels.Make(9, f => (f, f)), new SmoothingOptions(SmoothingMethod.Median, 3), selection));

        Assert.Equal("Skeleton 'mouse' has no node named 'nose'. Its nodes are: head, tail.", error.Message);
    }

    [Fact]
    public void Only_the_nodes_selected_are_smoothed()
    {
        double[] x = [1, 9, 2, 8, 3];
        var result = TrajectoryCleaning.Smooth(TrackedLabels.Make(5, f => (x[f], 0)), new SmoothingOptions(SmoothingMethod.Median, 3), new TrajectorySelection { Nodes = ["tail"] });

        Assert.Equal(9, result.Labels.LabeledFrames[1].Instances[0].Points[0].X);
        Assert.Equal(12, result.Labels.LabeledFrames[1].Instances[0].Points[1].X);
        Assert.Equal("tail", Assert.Single(result.Changes).Node);
    }
}
