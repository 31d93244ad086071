using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.IO;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Invoke-SleapPredict in the real PowerShell engine, on SLEAP's fixture models and videos.</summary>
public sealed class InvokeSleapPredictTests : IDisposable
{
    private static readonly string Centroid = ModelFolders.Path(ModelFolders.Centroid);
    private static readonly string Centered = ModelFolders.Path(ModelFolders.CenteredInstance);
    private static readonly string BottomUp = ModelFolders.Path(ModelFolders.BottomUp);
    private static readonly string Video = Paths.Fixture("videos", "centered_pair_small.mp4");

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    private string Cache => _dir.File("cache");

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void The_readme_pipeline_writes_a_slp_that_both_readers_load()
    {
        string output = _dir.File("session1.slp");
        var result = _host.Run(
            $"Import-SleapModel '{Centroid}', '{Centered}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames '0-19' | Export-SleapLabels '{output}'");
        Assert.Empty(result.Errors);

        var labels = LabelsReader.Read(output);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), labels.LabeledFrames.Select(f => f.FrameIndex));
        Assert.All(labels.AllInstances, i => Assert.IsType<PredictedInstance>(i));
        Assert.Equal(["A", "B"], labels.Skeleton!.NodeNames);
        Assert.Equal("TopDownPredictor", labels.Provenance["predictor"]);
        Assert.Equal("sleapps " + PredictionProvenance.Version, labels.Provenance["sleap_version"]);
        var args = (Dictionary<string, object?>)labels.Provenance["args"]!;
        Assert.Equal((4L, 0.2, "integral", "0-19"), ((long)args["batch_size"]!, (double)args["peak_threshold"]!, (string)args["refinement"]!, (string)args["frames"]!));
        Assert.Equal([Path.Combine(Centroid), Path.Combine(Centered)], ((List<object?>)labels.Provenance["model_paths"]!).Cast<string>());

        var js = SleapIoJs.LoadSlp(output);
        Assert.Equal(20, js["counts"]!["labeled_frames"]!.GetValue<int>());
        Assert.Equal(labels.InstanceCount, js["counts"]!["predicted_instances"]!.GetValue<int>());
    }

    [Fact]
    public void Bottom_up_with_an_output_path_writes_what_it_returns_and_leaves_no_parts()
    {
        string output = _dir.File("bu.slp");
        var result = _host.Run(
            $"Import-SleapModel '{BottomUp}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames '0-19' -BatchSize 8 -OutputPath '{output}' -PassThru");
        Assert.Empty(result.Errors);
        var returned = result.Single<Labels>();
        Assert.Equal(20, returned.LabeledFrames.Count);
        Assert.Equal(["bu.slp"], _dir.Entries.Where(e => e != "cache"));
        var read = LabelsReader.Read(output);
        Assert.Equal(returned.LabeledFrames.SelectMany(f => f.Instances).SelectMany(i => i.Points),
                     read.LabeledFrames.SelectMany(f => f.Instances).SelectMany(i => i.Points));
        Assert.Equal(8L, ((Dictionary<string, object?>)read.Provenance["args"]!)["batch_size"]);
        Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith("20 of 20 frames"));
    }

    [Fact]
    public void Raw_emits_one_frame_of_arrays_per_frame()
    {
        var result = _host.Run($"Import-SleapModel '{Centroid}', '{Centered}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames 3, 1 -Raw");
        Assert.Empty(result.Errors);
        var frames = result.Output.Select(o => (RawFrame)o.BaseObject).ToList();
        Assert.Equal([3L, 1L], frames.Select(f => f.FrameIndex));
        Assert.All(frames, f => Assert.Equal(f.NValid, f.InstancePeaks!.GetLength(0)));
        Assert.All(frames, f => Assert.InRange(f.Instances.Count, 0, f.NValid));   // a crop whose nodes are all NaN makes no instance, as in SLEAP
    }

    [Fact]
    public void A_centered_instance_model_alone_needs_labels()
    {
        var error = _host.RunExpectingError($"Import-SleapModel '{Centered}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames 0");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("GroundTruthRequired,SleapPS.Cmdlets.InvokeSleapPredictCommand", error.FullyQualifiedErrorId);
        Assert.StartsWith("The TopDown predictor replaces a missing model with ground truth", error.Exception.Message);
        Assert.Contains("Give a labels file or Labels object with -Labels", error.Exception.Message);
    }

    [Fact]
    public void A_missing_video_is_an_error_for_that_video_and_the_others_are_predicted()
    {
        string missing = _dir.File("missing.mp4");
        var result = _host.Run(
            $"Import-SleapModel '{Centroid}', '{Centered}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{missing}', '{Video}' -Frames 0-1");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"Cannot find path '{missing}' because it does not exist.", error.Exception.Message);
        Assert.Equal(2, result.Single<Labels>().LabeledFrames.Count);
    }

    [Fact]
    public void Bad_frame_lists_stop_the_command()
    {
        var error = _host.RunExpectingError($"Import-SleapModel '{Centroid}', '{Centered}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames '5-x'");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("The frame list '5-x' cannot be read at '5-x'. Write frame numbers (from 0) and inclusive ranges separated by commas, for example '0-99,200,300-310' or '0..99'.", error.Exception.Message);
        // Negative numbers are refused with the same message, naming the number.
        error = _host.RunExpectingError($"Import-SleapModel '{Centroid}', '{Centered}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames 2, -1");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("The frame list '2,-1' cannot be read at '-1'. Write frame numbers (from 0) and inclusive ranges separated by commas, for example '0-99,200,300-310' or '0..99'.", error.Exception.Message);
    }

    [Fact]
    public void Frames_take_the_same_syntax_as_every_cmdlet()
    {
        // PowerShell's own range, sleap-track's text range, the text form of PowerShell's range, and a mix: the same frames.
        foreach (string frames in new[] { "((2..4) + 0)", "'2-4,0'", "'2..4,0'", "'2..4', 0" })
        {
            var result = _host.Run($"Import-SleapModel '{Centroid}', '{Centered}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames {frames} -Raw");
            Assert.Empty(result.Errors);
            Assert.Equal([2L, 3, 4, 0], result.Output.Select(o => ((RawFrame)o.BaseObject).FrameIndex));
        }
    }
}
