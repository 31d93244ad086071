using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing.Merging;
using SleapPS.Engine.IO;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>
/// The labels-editing cmdlets in the real PowerShell engine (docs/design/labels-operations.md): what Where-Object passes
/// piped back, script blocks, -InPlace, errors; files written read back by sleap-io.js; the instance filters while predicting.
/// </summary>
public sealed class LabelsEditingCmdletTests : IDisposable
{
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    private string Import => $"$labels = Import-SleapLabels '{Predictions}'";

    [Fact]
    public void Split_parts_exported_and_merged_back_give_the_whole_and_sleap_io_js_reads_each_part()
    {
        var result = _host.Run($$"""
            {{Import}}
            $parts = $labels | Split-SleapLabels 0.8, 0.1, 0.1 -Seed 3
            foreach ($part in $parts) { $part | Export-SleapLabels "{{_dir.FullName}}/$($part.Part).slp" }
            Merge-SleapLabels -Path '{{_dir.FullName}}/train.slp', '{{_dir.FullName}}/val.slp', '{{_dir.FullName}}/test.slp' -AsReport
            $parts | ForEach-Object Part
            """);
        Assert.Empty(result.Errors);
        var report = (MergeReport)result.Output[0].BaseObject;
        Assert.Equal(["train", "val", "test"], result.Output.Skip(1).Select(o => o.ToString()));
        Assert.Equal((1100, 2274, 27), (report.Labels.LabeledFrames.Count, report.Labels.InstanceCount, report.Labels.Tracks.Count));
        Assert.Equal((220, 0, 0), (report.FramesAdded, report.FramesMerged, report.InstancesReplaced));

        var whole = LabelsReader.Read(Predictions);
        var counts = new[] { "train", "val", "test" }.Select(p => SleapIoJs.LoadSlp(_dir.File(p + ".slp"))).ToList();
        Assert.Equal([880, 110, 110], counts.Select(c => c["counts"]!["labeled_frames"]!.GetValue<int>()));
        Assert.Equal(2274, counts.Sum(c => c["counts"]!["predicted_instances"]!.GetValue<int>()));
        var val = counts[1]["labeled_frames"]!.AsArray()[0]!;
        var source = whole.LabeledFrames.Single(f => f.FrameIndex == val["frame_idx"]!.GetValue<long>());
        Assert.Equal(source.Instances[0].Points[3].X, val["instances"]![0]!["points"]![3]![0]!.GetValue<double>(), 4);
    }

    [Fact]
    public void Instances_that_Where_Object_passes_are_removed_and_the_input_is_left_alone()
    {
        var result = _host.Run($$"""
            {{Import}}
            $labels.AllInstances | Where-Object { $_.Score -lt 30 } | Remove-SleapInstance -Labels $labels
            $labels
            $labels | Remove-SleapInstance { $_.Score -lt 30 -and $frame.FrameIndex -lt 500 } -DropEmptyFrames
            """);
        Assert.Empty(result.Errors);
        var (removed, input, scripted) = ((Labels)result.Output[0].BaseObject, (Labels)result.Output[1].BaseObject, (Labels)result.Output[2].BaseObject);
        var whole = LabelsReader.Read(Predictions);
        Assert.Equal(whole.AllInstances.Count(i => ((PredictedInstance)i).Score >= 30), removed.InstanceCount);
        Assert.Equal(2274, input.InstanceCount);
        int expected = 0, frames = 0;
        foreach (var frame in whole.LabeledFrames)
        {
            int kept = frame.Instances.Count(i => !(((PredictedInstance)i).Score < 30 && frame.FrameIndex < 500));
            expected += kept;
            if (kept > 0) frames++;
        }
        Assert.Equal((expected, frames), (scripted.InstanceCount, scripted.LabeledFrames.Count));
    }

    [Fact]
    public void Select_SleapInstance_with_sleap_nns_filters_keeps_what_a_plain_loop_keeps()
    {
        var result = _host.Run($"{Import}\n$labels | Select-SleapInstance -MinVisibleNodes 21 -MinInstanceScore 25 -Verbose");
        Assert.Empty(result.Errors);
        var whole = LabelsReader.Read(Predictions);
        int expected = whole.AllInstances.Count(i => i.Points.Count(p => p.IsPresent) >= 21 && ((PredictedInstance)i).Score >= 25);
        Assert.Equal(expected, result.Single<Labels>().InstanceCount);
        Assert.Contains(result.Verbose, v => v.StartsWith($"{2274 - expected} of 2274 predicted instances removed:"));
    }

    [Fact]
    public void In_place_edits_change_the_input_and_emit_nothing_without_PassThru()
    {
        var result = _host.Run($$"""
            {{Import}}
            $labels.LabeledFrames | Where-Object FrameIndex -ge 1000 | Remove-SleapFrame -Labels $labels -InPlace
            $labels.LabeledFrames.Count
            $labels | Rename-SleapTrack @{ '1' = 'female' } -InPlace -PassThru | ForEach-Object { $_.Tracks[0].Name }
            $labels | Select-SleapTrack { $_.Name -eq 'female' } -WhatIf -InPlace
            $labels.Tracks.Count
            """);
        Assert.Empty(result.Errors);
        Assert.Equal(["1000", "female", "27"], result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Objects_piped_in_from_other_labels_choose_nothing_and_say_so()
    {
        var result = _host.Run($"{Import}\n$copy = $labels | Select-SleapFrame {{ $true }}\n$copy.LabeledFrames[0..4] | Remove-SleapFrame -Labels $labels");
        Assert.Empty(result.Errors);
        Assert.Equal("5 of the 5 LabeledFrame objects piped in are not in -Labels (they come from other labels, or a copy): they choose nothing.", Assert.Single(result.Warnings));
        Assert.Equal(1100, result.Single<Labels>().LabeledFrames.Count);
    }

    [Fact]
    public void A_node_the_skeleton_lacks_is_an_error_that_lists_the_nodes()
    {
        var whole = LabelsReader.Read(Predictions);
        var rename = _host.RunExpectingError($"{Import}\n$labels | Rename-SleapNode @{{ nose = 'snout' }}");
        Assert.Equal(ErrorCategory.InvalidArgument, rename.CategoryInfo.Category);
        Assert.Equal($"No skeleton has a node named 'nose'. The skeleton '{whole.Skeleton!.Name}' has the nodes: {string.Join(", ", whole.Skeleton.NodeNames)}.", rename.Exception.Message);

        // PowerShell turns a failing indexer into $null; the cmdlets check the node names the script indexes with first.
        foreach (var cmdlet in new[] { "Select-SleapInstance", "Remove-SleapInstance" })
        {
            var filter = _host.RunExpectingError($"{Import}\n$labels | {cmdlet} {{ $_['nose'].Score -gt 0.5 }}");
            Assert.Equal(ErrorCategory.InvalidArgument, filter.CategoryInfo.Category);
            Assert.Equal($"The filter script names the node 'nose', which no skeleton has. The skeleton '{whole.Skeleton.Name}' has the nodes: {string.Join(", ", whole.Skeleton.NodeNames)}.", filter.Exception.Message);
        }
    }

    [Fact]
    public void Merging_files_with_different_skeletons_names_the_nodes()
    {
        var error = _host.RunExpectingError($"Merge-SleapLabels -Path '{Predictions}', '{Paths.Fixture("tracks", "clip.slp")}'");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Matches("^The skeleton '[^']+' of 'clip.slp' does not match the skeleton '[^']+' of 'centered_pair_predictions.slp': ", error.Exception.Message);
        Assert.Contains("nodes only in 'clip.slp': ", error.Exception.Message);
    }

    [Fact]
    public void Set_SleapVideoPath_stores_where_the_search_folder_found_the_video()
    {
        var result = _host.Run($"{Import}\n$labels | Set-SleapVideoPath -SearchPath '{Paths.Fixture("json_format_v1")}' | ForEach-Object {{ $_.Videos[0].Filename }}");
        Assert.Empty(result.Errors);
        Assert.Equal(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), result.Output.Single().ToString());
    }

    [Fact]
    public void Invoke_SleapPredict_filters_instances_before_tracking_as_a_plain_loop_on_the_unfiltered_run()
    {
        string bottomUp = ModelFolders.Path(ModelFolders.BottomUp);
        string video = Paths.Fixture("videos", "centered_pair_small.mp4");
        var result = _host.Run($$"""
            $p = Import-SleapModel '{{bottomUp}}' -CacheFolder '{{_dir.File("cache")}}'
            $p | Invoke-SleapPredict -Video '{{video}}' -Frames 0-19
            $p | Invoke-SleapPredict -Video '{{video}}' -Frames 0-19 -MinVisibleNodes 12 -MinInstanceScore 1 -Tracker simple
            """);
        Assert.Empty(result.Errors);
        var (plain, filtered) = ((Labels)result.Output[0].BaseObject, (Labels)result.Output[1].BaseObject);
        var expected = plain.LabeledFrames.Select(f => f.Instances.Where(i => i.Points.Count(p => p.IsPresent) >= 12 && ((PredictedInstance)i).Score >= 1)
            .Select(i => $"{i.Points[0].X:0.###},{i.Points[0].Y:0.###}").ToList()).ToList();
        var actual = filtered.LabeledFrames.Select(f => f.Instances.Select(i => $"{i.Points[0].X:0.###},{i.Points[0].Y:0.###}").ToList()).ToList();
        Assert.Equal(expected, actual);
        Assert.True(plain.InstanceCount > filtered.InstanceCount, "the filter removed nothing: the case tests nothing");
        Assert.All(filtered.AllInstances, i => Assert.NotNull(i.Track));
        var args = (Dictionary<string, object?>)filtered.Provenance["args"]!;
        Assert.Equal((12L, 1.0), ((long)args["filter_min_visible_nodes"]!, (double)args["filter_min_instance_score"]!));
    }
}
