using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Trajectories;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>The trajectory cmdlets in the real PowerShell engine, on SLEAP's tracked fixture.</summary>
public sealed class TrajectoryCmdletTests : IDisposable
{
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");
    private readonly PowerShellHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void The_chain_emits_labels_whose_changes_say_what_each_step_did_and_the_input_is_unchanged()
    {
        var result = _host.Run($@"
            $in = Import-SleapLabels '{Predictions}'
            $points = @($in | ConvertTo-SleapTable).Count
            $filtered = $in | Remove-SleapLowScorePoint -MinScore 0.4
            $out = $filtered | Add-SleapInterpolatedPoint -MaxGap 5 | Invoke-SleapSmoothing -Method SavitzkyGolay -Window 5
            $removed = 0; foreach ($change in $filtered.TrajectoryChanges) {{ $removed += $change.Removed }}
            $points; @($in | ConvertTo-SleapTable).Count; $removed; @($filtered | ConvertTo-SleapTable).Count
            $out.TrajectoryChanges[0]; $out");

        Assert.Empty(result.Errors);
        Assert.Equal(result.Output[0].BaseObject, result.Output[1].BaseObject);
        int points = (int)result.Output[0].BaseObject, removed = Convert.ToInt32(result.Output[2].BaseObject), after = (int)result.Output[3].BaseObject;
        Assert.True(removed > 0);
        Assert.Equal(points - removed, after);
        var change = (TrajectoryChange)result.Output[4].BaseObject;
        Assert.Equal(TrajectoryOperation.SavitzkyGolay, change.Operation);
        var labels = (Labels)result.Output[5].BaseObject;
        var record = (List<object?>)labels.Provenance["trajectory_cleaning"]!;
        Assert.Equal(["filter_by_confidence", "interpolate_over_time", "savgol_filter"], record.Cast<Dictionary<string, object?>>().Select(e => (string)e["operation"]!));
    }

    [Fact]
    public void A_node_the_skeleton_lacks_is_an_InvalidArgument_error_that_lists_the_nodes()
    {
        var error = _host.RunExpectingError($"Invoke-SleapSmoothing -Path '{Predictions}' -Window 5 -Node nose");

        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("TrajectoryOperationFailed,SleapPS.Cmdlets.InvokeSleapSmoothingCommand", error.FullyQualifiedErrorId);
        var skeleton = Engine.IO.LabelsReader.Read(Predictions).Skeleton!;
        Assert.Equal($"Skeleton '{skeleton.Name}' has no node named 'nose'. Its nodes are: {string.Join(", ", skeleton.NodeNames)}.", error.Exception.Message);
        Assert.Contains("Its nodes are: head, neck, thorax, abdomen, wingL, wingR, forelegL1,", error.Exception.Message);
    }

    [Fact]
    public void A_window_longer_than_every_track_is_an_InvalidArgument_error()
    {
        var error = _host.RunExpectingError($"Import-SleapLabels '{Predictions}' | Invoke-SleapSmoothing -Window 1101");

        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("The smoothing window of 1101 frames is longer than every track: the longest, '1' in 'tests/data/json_format_v1/centered_pair_low_quality.mp4', spans 1100 frames. Use a window of at most 1099 frames.",
            error.Exception.Message);
    }

    [Fact]
    public void Kinematics_rows_and_summaries_agree_and_the_distances_sum_exactly()
    {
        var result = _host.Run($@"
            $rows = Get-SleapKinematics -Path '{Predictions}' -Track 1 -Node thorax -FrameRate 30
            $summary = Measure-SleapKinematics -Path '{Predictions}' -Track 1 -Node thorax -FrameRate 30
            $sum = 0.0; foreach ($row in $rows) {{ $sum += $row.Distance }}
            $rows.Count; $sum; $summary");

        Assert.Empty(result.Errors);
        var summary = (TrackKinematics)result.Output[2].BaseObject;
        Assert.Equal(summary.Frames, (int)result.Output[0].BaseObject);
        Assert.Equal(summary.Distance, (double)result.Output[1].BaseObject); // the same steps, summed in the same order
        Assert.Equal(("1", "thorax", 30.0), (summary.Track, summary.Node, summary.FrameRate));
    }
}
