using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Invoke-SleapPredict -Tracker: tracking while predicting with the bottom-up fixture model on centered_pair_small.mp4.</summary>
public sealed class InvokeSleapPredictTrackingTests : IDisposable
{
    private static readonly string BottomUp = ModelFolders.Path(ModelFolders.BottomUp);
    private static readonly string Video = Paths.Fixture("videos", "centered_pair_small.mp4");

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    private string Predictor => $"$p = Import-SleapModel '{BottomUp}' -CacheFolder '{_dir.File("cache")}'";

    /// <summary>Track name and first point of every instance, frame by frame.</summary>
    private static List<string> Assignment(Labels labels) =>
        labels.LabeledFrames.Select(f => $"{f.FrameIndex}: " + string.Join(" ", f.Instances.Select(i => $"{i.Track?.Name ?? "-"}@{i.Points[0].X:0.###},{i.Points[0].Y:0.###}"))).ToList();

    private static Dictionary<string, object?> Args(Labels labels) => (Dictionary<string, object?>)labels.Provenance["args"]!;

    [Fact]
    public void Simple_and_flow_while_predicting_give_the_tracks_of_Start_SleapTracker_on_the_predictions()
    {
        var result = _host.Run($"""
            {Predictor}
            $plain = $p | Invoke-SleapPredict -Video '{Video}' -Frames 0-29
            $plain | Start-SleapTracker -Tracker simple
            $p | Invoke-SleapPredict -Video '{Video}' -Frames 0-29 -Tracker simple
            $plain | Start-SleapTracker -Tracker flow
            $p | Invoke-SleapPredict -Video '{Video}' -Frames 0-29 -Tracker flow
            $plain
            """);
        Assert.Empty(result.Errors);
        var labels = result.Output.Select(o => (Labels)o.BaseObject).ToList();
        var (retrackedSimple, simple, retrackedFlow, flow, plain) = (labels[0], labels[1], labels[2], labels[3], labels[4]);

        Assert.Equal(30, simple.LabeledFrames.Count);
        Assert.Equal(Assignment(retrackedSimple), Assignment(simple));
        Assert.Equal(Assignment(retrackedFlow), Assignment(flow));
        Assert.True(simple.Tracks.Count > 1);
        Assert.Equal(simple.Tracks.Count, simple.AllInstances.Select(i => i.Track).Distinct().Count());
        Assert.All(plain.AllInstances, i => Assert.Null(i.Track));
        Assert.Equal(("simple", 5L), ((string)Args(simple)["tracking.tracker"]!, (long)Args(simple)["tracking.track_window"]!));
        Assert.Equal("flow", Args(flow)["tracking.tracker"]);
        Assert.Null(Args(plain)["tracking.tracker"]);
    }

    [Fact]
    public void A_tracked_run_to_a_file_drops_its_empty_frames_only_with_NoEmptyFrames()
    {
        // Peaks never reach 1.5: every frame is empty. A tracked run keeps empty frames in its parts (a resumed run
        // re-tracks every frame), so -NoEmptyFrames takes effect when the parts are merged.
        string kept = _dir.File("kept.slp"), dropped = _dir.File("dropped.slp");
        var result = _host.Run($"""
            {Predictor}
            $p | Invoke-SleapPredict -Video '{Video}' -Frames 0-9 -Tracker simple -PeakThreshold 1.5 -OutputPath '{kept}'
            $p | Invoke-SleapPredict -Video '{Video}' -Frames 0-9 -Tracker simple -PeakThreshold 1.5 -OutputPath '{dropped}' -NoEmptyFrames -PassThru
            """);
        Assert.Empty(result.Errors);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), LabelsReader.Read(kept).LabeledFrames.Select(f => f.FrameIndex));
        Assert.Empty(LabelsReader.Read(dropped).LabeledFrames);
        Assert.Empty(result.Single<Labels>().LabeledFrames);
        Assert.Single(LabelsReader.Read(dropped).Videos);
    }

    [Fact]
    public void Max_tracks_gives_at_most_2_tracks_and_the_output_file_holds_the_same_tracks()
    {
        string output = _dir.File("tracked.slp");
        const string tracking = "-Tracker simplemaxtracks -MaxTracks 2 -PostConnectSingleBreaks";
        var result = _host.Run($"""
            {Predictor}
            $p | Invoke-SleapPredict -Video '{Video}' -Frames 0-29 {tracking}
            $p | Invoke-SleapPredict -Video '{Video}' -Frames 0-29 {tracking} -OutputPath '{output}' -PassThru
            """);
        Assert.Empty(result.Errors);
        var inMemory = (Labels)result.Output[0].BaseObject;
        var written = (Labels)result.Output[1].BaseObject;
        var read = LabelsReader.Read(output);

        Assert.InRange(inMemory.Tracks.Count, 1, 2);
        Assert.Equal(Assignment(inMemory), Assignment(written));
        Assert.Equal(Assignment(inMemory), Assignment(read));
        Assert.Equal(inMemory.Tracks.Select(t => t.Name), read.Tracks.Select(t => t.Name));
        Assert.Equal((2L, true), ((long)Args(read)["tracking.max_tracks"]!, (bool)Args(read)["tracking.post_connect_single_breaks"]!));
        Assert.False(Directory.Exists(output + ".parts"));
    }

    [Fact]
    public void A_stopped_tracked_run_resumes_and_is_tracked_again_like_an_uninterrupted_run()
    {
        string whole = _dir.File("whole.slp"), resumed = _dir.File("resumed.slp");
        const string tracking = "-Frames 0-29 -BatchSize 4 -Tracker flow -MaxTracks 2 -PostConnectSingleBreaks";
        _host.Run($"{Predictor}; $p | Invoke-SleapPredict -Video '{Video}' {tracking} -OutputPath '{whole}'");

        // Stopped after its first batch: the frames done (held by the tracker for the final pass) are kept as a part.
        _host.RunAndStopAfterProgress($"$p | Invoke-SleapPredict -Video '{Video}' {tracking} -OutputPath '{resumed}'", progressRecords: 1);
        Assert.False(File.Exists(resumed));
        Assert.NotEmpty(Directory.GetFiles(resumed + ".parts", "part-*.slp"));
        var result = _host.Run($"$p | Invoke-SleapPredict -Video '{Video}' {tracking} -OutputPath '{resumed}' -Verbose");

        Assert.Empty(result.Errors);
        Assert.Contains(result.Warnings, w => w.Contains("A tracker cannot resume: all frames are tracked again when the run completes."));
        Assert.Contains(result.Verbose, v => v.StartsWith("Tracking the 30 frames of the resumed run again (flow)."));
        Assert.Equal(Assignment(LabelsReader.Read(whole)), Assignment(LabelsReader.Read(resumed)));
        Assert.False(Directory.Exists(resumed + ".parts"));
    }

    [Theory]
    [InlineData("-Tracker flow -KalmanInitFrameCount 10", "Kalman filter requires max tracks or target instance count.")]
    [InlineData("-Tracker flow -MaxTracks 2 -KalmanInitFrameCount 10 -KalmanNodeIndices 0,1", "Kalman filter requires simple tracker for initial tracking.")]
    [InlineData("-Tracker simple -Similarity normalized_instance -TargetInstanceCount 2 -KfInitFrameCount 10 -KfNodeIndices 0,1", "Kalman filter does not support normalized_instance_similarity.")]
    public void Invalid_tracker_combinations_stop_with_SLEAPs_message_before_any_video_is_opened(string arguments, string message)
    {
        // The video does not exist: reaching it would report VideoNotFound, so the tracker check came first.
        string missing = _dir.File("missing.mp4");
        var error = _host.RunExpectingError($"{Predictor}; $p | Invoke-SleapPredict -Video '{missing}' {arguments}");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("InvalidTrackerOptions,SleapPS.Cmdlets.InvokeSleapPredictCommand", error.FullyQualifiedErrorId);
        Assert.StartsWith(message + " ", error.Exception.Message);
    }

    [Fact]
    public void Raw_arrays_cannot_be_tracked()
    {
        var error = _host.RunExpectingError($"{Predictor}; $p | Invoke-SleapPredict -Video '{Video}' -Frames 0 -Raw -Tracker simple");
        Assert.Equal("InvalidTrackerOptions,SleapPS.Cmdlets.InvokeSleapPredictCommand", error.FullyQualifiedErrorId);
        Assert.StartsWith("-Raw emits SLEAP's make_labels=False arrays, which carry no tracks", error.Exception.Message);
    }

    [Fact]
    public void Predictors_that_SLEAP_never_tracks_refuse_a_tracker()
    {
        string single = ModelFolders.Path(ModelFolders.SingleInstance);
        var error = _host.RunExpectingError(
            $"Import-SleapModel '{single}' -CacheFolder '{_dir.File("cache")}' | Invoke-SleapPredict -Video '{Paths.Fixture("videos", "small_robot.mp4")}' -Frames 0 -Tracker simple");
        Assert.Equal("InvalidTrackerOptions,SleapPS.Cmdlets.InvokeSleapPredictCommand", error.FullyQualifiedErrorId);
        Assert.StartsWith("The SingleInstance predictor does not track: SLEAP runs a tracker only with top-down and bottom-up models", error.Exception.Message);
    }

    [Fact]
    public void Tracker_parameters_have_Start_SleapTrackers_names_and_validation()
    {
        var result = _host.Run("""
            $predict = (Get-Command Invoke-SleapPredict).Parameters
            $track = (Get-Command Start-SleapTracker).Parameters
            foreach ($name in $track.Keys) {
                if ($name -in 'InputObject', 'Path' -or $predict.ContainsKey($name)) { continue }
                "missing $name"
            }
            ($predict['Tracker'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues -join ','
            """);
        Assert.Empty(result.Errors);
        Assert.Equal(["simple,flow,simplemaxtracks,flowmaxtracks,none"], result.Output.Select(o => o.ToString()));
    }
}
