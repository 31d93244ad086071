using System.Management.Automation;
using System.Management.Automation.Runspaces;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.IO;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Invoke-SleapPredict's options end to end in the real PowerShell engine: maps, labelled frames, empty frames, stopping and resuming.</summary>
public sealed class InvokeSleapPredictOptionsTests : IDisposable
{
    private static readonly string BottomUp = ModelFolders.Path(ModelFolders.BottomUp);
    private static readonly string Centered = ModelFolders.Path(ModelFolders.CenteredInstance);
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
    public void IncludeConfidenceMaps_adds_the_bottom_up_maps_at_their_strides()
    {
        var result = _host.Run($"Import-SleapModel '{BottomUp}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames 0 -Raw -IncludeConfidenceMaps");
        Assert.Empty(result.Errors);
        var frame = result.Single<RawFrame>();
        var maps = frame.Maps!.ToDictionary(m => m.Name);
        // 384x384 frame: confidence maps at stride 2 with a channel per node, PAFs at stride 4 with two per edge.
        var confmaps = maps["confmaps"];
        Assert.Equal((192, 192, 2, 2), (confmaps.Height, confmaps.Width, confmaps.Channels, confmaps.Stride));
        var pafs = maps["part_affinity_fields"];
        Assert.Equal((96, 96, 2, 4), (pafs.Height, pafs.Width, pafs.Channels, pafs.Stride));
        Assert.Equal(192 * 192 * 2, confmaps.Data.Length);
        // Each peak value reported is the confidence map's value at the peak's grid cell.
        for (int i = 0; i < frame.NValid; i++)
            for (int node = 0; node < 2; node++)
            {
                float x = frame.InstancePeaks![i, node, 0], y = frame.InstancePeaks[i, node, 1];
                if (float.IsNaN(x)) continue;
                int row = (int)MathF.Round(y / 2), col = (int)MathF.Round(x / 2);
                float best = float.MinValue;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                        if (row + dy is >= 0 and < 192 && col + dx is >= 0 and < 192)
                            best = Math.Max(best, confmaps.Data[((row + dy) * 192 + col + dx) * 2 + node]);
                Assert.Equal(best, frame.InstancePeakValues![i, node]);
            }
    }

    [Fact]
    public void Labels_predicts_on_the_labelled_frames_with_their_instances_as_ground_truth()
    {
        // The centered-instance model alone needs ground-truth centroids: the labels' user instances give them.
        var labels = Paths.Fixture("slp_hdf5", "minimal_instance.slp");
        var result = _host.Run($"Import-SleapModel '{Centered}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Labels '{labels}'");
        Assert.Empty(result.Errors);
        var predicted = result.Single<Labels>();
        var frame = Assert.Single(predicted.LabeledFrames);
        Assert.Equal(0, frame.FrameIndex);
        Assert.Equal(2, frame.Instances.Count);
        Assert.All(frame.Instances, i => Assert.Equal(1.0, ((PredictedInstance)i).Score));   // GT centroid value, as SLEAP writes

        var error = _host.RunExpectingError($"Import-SleapModel '{Centered}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}'");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("-Labels", error.Exception.Message);
    }

    [Fact]
    public void NoEmptyFrames_drops_frames_without_instances()
    {
        // A threshold no peak reaches leaves every frame empty.
        var all = _host.Run($"Import-SleapModel '{BottomUp}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames '0-3' -PeakThreshold 1.5").Single<Labels>();
        Assert.Equal(4, all.LabeledFrames.Count);
        Assert.Equal(0, all.InstanceCount);
        var kept = _host.Run($"Import-SleapModel '{BottomUp}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames '0-3' -PeakThreshold 1.5 -NoEmptyFrames").Single<Labels>();
        Assert.Empty(kept.LabeledFrames);
    }

    [Fact]
    public void Stopping_keeps_the_finished_parts_and_the_same_command_resumes_to_the_uninterrupted_result()
    {
        string output = _dir.File("run.slp");
        string command = $"Import-SleapModel '{BottomUp}' -CacheFolder '{Cache}' | Invoke-SleapPredict -Video '{Video}' -Frames '0-59' -BatchSize 4 -OutputPath '{output}'";

        // Stop the first run after a few batches, as Ctrl+C would.
        using (var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2()))
        {
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript($"Import-Module '{Paths.ModuleManifest}'; {command}");
            using var severalBatches = new ManualResetEventSlim();
            ps.Streams.Progress.DataAdded += (_, e) =>
            {
                if (ps.Streams.Progress[e.Index].StatusDescription.StartsWith("12 of 60", StringComparison.Ordinal)) severalBatches.Set();
            };
            var running = ps.BeginInvoke();
            Assert.True(severalBatches.Wait(TimeSpan.FromMinutes(2)), "the run never reached 12 frames");
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
        }
        Assert.False(File.Exists(output));
        var parts = Directory.GetFiles(ResumableSlpWriter.PartsFolderOf(output), "part-*.slp");
        Assert.NotEmpty(parts);
        var done = parts.Sum(p => LabelsReader.Read(p).LabeledFrames.Count);
        Assert.InRange(done, 12, 59);

        // The same command finishes the run from where it stopped.
        Assert.Empty(_host.Run(command).Errors);
        Assert.False(Directory.Exists(ResumableSlpWriter.PartsFolderOf(output)));
        var resumed = LabelsReader.Read(output);

        string straight = _dir.File("straight.slp");
        Assert.Empty(_host.Run(command.Replace(output, straight)).Errors);
        var uninterrupted = LabelsReader.Read(straight);
        Assert.Equal(uninterrupted.LabeledFrames.Select(f => f.FrameIndex), resumed.LabeledFrames.Select(f => f.FrameIndex));
        Assert.Equal(uninterrupted.AllInstances.SelectMany(i => i.Points), resumed.AllInstances.SelectMany(i => i.Points));
        Assert.Equal(uninterrupted.AllInstances.Select(i => ((PredictedInstance)i).Score), resumed.AllInstances.Select(i => ((PredictedInstance)i).Score));
    }
}
