using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Start-SleapTracker in the real PowerShell engine, on SLEAP's fixtures.</summary>
public sealed class StartSleapTrackerTests : IDisposable
{
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");
    private readonly PowerShellHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Pipeline_labels_get_SLEAPs_27_simple_tracks_and_the_input_keeps_its_own()
    {
        var result = _host.Run($"$in = Import-SleapLabels '{Predictions}'; $out = $in | Start-SleapTracker -Tracker simple; $in; $out");
        Assert.Empty(result.Errors);
        var input = (Labels)result.Output[0].BaseObject;
        var output = (Labels)result.Output[1].BaseObject;
        Assert.NotSame(input, output);
        Assert.Equal(27, output.Tracks.Count);
        Assert.Equal(27, input.Tracks.Count);
        Assert.Empty(output.Tracks.Intersect(input.Tracks));
        Assert.All(input.AllInstances, i => Assert.Contains(i.Track!, input.Tracks));
        Assert.Equal(input.InstanceCount, output.InstanceCount);
    }

    [Fact]
    public void Path_with_max_tracks_gives_2_tracks_and_reports_progress_per_frame()
    {
        var result = _host.Run($"Start-SleapTracker -Path '{Predictions}' -Tracker simple -MaxTracks 2 -PostConnectSingleBreaks");
        Assert.Empty(result.Errors);
        var labels = result.Single<Labels>();
        Assert.Equal(["track_0", "track_1"], labels.Tracks.Select(t => t.Name));
        Assert.Equal(1100, result.Progress.Count(p => p.RecordType == ProgressRecordType.Processing));
        Assert.Equal("Frame 1099 (1100 of 1100)", result.Progress.Last(p => p.RecordType == ProgressRecordType.Processing).StatusDescription);
        Assert.Single(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public void Flow_follows_the_two_flies_of_the_clip_video()
    {
        var clip = Paths.Fixture("tracks", "clip.slp");
        // The first 40 frames keep the test short; flow reads each of them from clip.mp4.
        var result = _host.Run($"$l = Import-SleapLabels '{clip}'; $l.LabeledFrames.RemoveRange(40, $l.LabeledFrames.Count - 40); $l | Start-SleapTracker -Tracker flow -Similarity centroid");
        Assert.Empty(result.Errors);
        var labels = result.Single<Labels>();
        Assert.Equal(["track_0", "track_1"], labels.Tracks.Select(t => t.Name));
        Assert.All(labels.LabeledFrames, f => Assert.Equal(2, f.Instances.Select(i => i.Track).Distinct().Count()));
    }

    [Theory]
    [InlineData("-Tracker flow -MaxTracks 2 -KalmanInitFrameCount 10 -KalmanNodeIndices 0,1", "Kalman filter requires simple tracker for initial tracking.")]
    [InlineData("-Tracker simple -Similarity normalized_instance -TargetInstanceCount 2 -KfInitFrameCount 10 -KfNodeIndices 0,1", "Kalman filter does not support normalized_instance_similarity.")]
    [InlineData("-Tracker simple -TargetInstanceCount 2 -KalmanInitFrameCount 10", "Kalman filter requires node indices for instance tracking.")]
    [InlineData("-Tracker simplemaxtracks -KalmanInitFrameCount 10 -KalmanNodeIndices 0,1", "Kalman filter requires max tracks or target instance count.")]
    public void Invalid_combinations_stop_with_SLEAPs_message(string arguments, string message)
    {
        var error = _host.RunExpectingError($"Import-SleapLabels '{Predictions}' | Start-SleapTracker {arguments}");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("InvalidTrackerOptions,SleapPS.Cmdlets.StartSleapTrackerCommand", error.FullyQualifiedErrorId);
        Assert.StartsWith(message + " ", error.Exception.Message);
    }

    [Fact]
    public void Flow_without_the_video_reports_the_missing_video()
    {
        var dance = Paths.Fixture("slp_hdf5", "dance.mp4.labels.slp");
        var result = _host.Run($"Import-SleapLabels '{dance}' -WarningAction SilentlyContinue | Start-SleapTracker -Tracker flow");
        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("dance.mp4' was not found", error.Exception.Message);
    }

    [Fact]
    public void Tracker_none_returns_a_copy_with_the_old_tracks()
    {
        var labels = _host.Run($"Start-SleapTracker -Path '{Predictions}' -Tracker none").Single<Labels>();
        Assert.Equal(27, labels.Tracks.Count);
        Assert.All(labels.AllInstances, i => Assert.NotNull(i.Track));
    }
}
