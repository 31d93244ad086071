using OpenCvSharp;
using SleapPS.Engine.Data;
using SleapPS.Tests.Inference.Exports;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>
/// Import-SleapModel | Invoke-SleapPredict in the real PowerShell engine on each of sleap-nn's fixture exports: the
/// instances are those the export's outputs imply (<see cref="ExpectedInstances"/>), and the labels say the model was a
/// sleap-nn export.
/// </summary>
public sealed class InvokeSleapPredictExportTests : IDisposable
{
    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    public static TheoryData<string, string, string[]> FrameExports => new()
    {
        { ExportFixtures.Centroid, "TopDownPredictor", ["centroid"] },
        { ExportFixtures.TopDown, "TopDownPredictor", ["A", "B"] },
        { ExportFixtures.TopDownMultiClass, "TopDownMultiClassPredictor", ["A", "B"] },
        { ExportFixtures.BottomUp, "BottomUpPredictor", ["A", "B"] },
    };

    [Theory]
    [MemberData(nameof(FrameExports))]
    public void An_export_predicts_on_the_labels_frame_it_was_run_on(string name, string predictorName, string[] nodes)
    {
        var result = _host.Run($"Import-SleapModel '{ExportFixtures.Folder(name)}' | Invoke-SleapPredict -Labels '{ExportFixtures.MinimalInstance}'");
        Assert.Empty(result.Errors);
        var labels = result.Single<Labels>();

        var frame = Assert.Single(labels.LabeledFrames);
        Assert.Equal(0, frame.FrameIndex);
        ExpectedInstances.AssertMatch(ExpectedInstances.Of(name, 0), frame.Instances);
        Assert.Equal(nodes, labels.Skeleton!.NodeNames);
        Assert.Equal(predictorName, labels.Provenance["predictor"]);
        Assert.Equal(["SleapNnOnnx"], ((List<object?>)labels.Provenance["model_formats"]!).Cast<string>());
        Assert.Equal([ExportFixtures.Folder(name)], ((List<object?>)labels.Provenance["model_paths"]!).Cast<string>());
    }

    [Fact]
    public void The_single_instance_export_predicts_on_the_robot_frames_sleap_nn_gave_it()
    {
        // The frames exactly as expected_outputs.npz holds them, written losslessly as a folder of images (a video).
        var frames = ExportFixtures.Frames(ExportFixtures.SingleInstance);
        string folder = Path.Combine(_dir.FullName, "robot");
        Directory.CreateDirectory(folder);
        for (int f = 0; f < frames.Count; f++)
        {
            using var rgb = Mat.FromPixelData(frames[f].Height, frames[f].Width, MatType.CV_8UC3, frames[f].Pixels);
            using var bgr = rgb.CvtColor(ColorConversionCodes.RGB2BGR);
            Assert.True(Cv2.ImWrite(Path.Combine(folder, $"{f}.png"), bgr));
        }

        var result = _host.Run($"Import-SleapModel '{ExportFixtures.Folder(ExportFixtures.SingleInstance)}' | Invoke-SleapPredict -Video '{folder}'");
        Assert.Empty(result.Errors);
        var labels = result.Single<Labels>();
        Assert.Equal([0L, 1L], labels.LabeledFrames.Select(f => f.FrameIndex));
        for (int f = 0; f < frames.Count; f++)
            ExpectedInstances.AssertMatch(ExpectedInstances.Of(ExportFixtures.SingleInstance, f), labels.LabeledFrames[f].Instances);
        Assert.Equal("SingleInstancePredictor", labels.Provenance["predictor"]);
        Assert.Equal(["SleapNnOnnx"], ((List<object?>)labels.Provenance["model_formats"]!).Cast<string>());
    }

    [Fact]
    public void A_combined_top_down_export_tracks_like_any_top_down_predictor()
    {
        var result = _host.Run($"Import-SleapModel '{ExportFixtures.Folder(ExportFixtures.TopDown)}' | " +
                               $"Invoke-SleapPredict -Labels '{ExportFixtures.MinimalInstance}' -Tracker simple");
        Assert.Empty(result.Errors);
        var instances = Assert.Single(result.Single<Labels>().LabeledFrames).Instances;
        Assert.Equal(2, instances.Count);
        Assert.All(instances, i => Assert.NotNull(i.Track));
        Assert.NotSame(instances[0].Track, instances[1].Track);
    }

    [Fact]
    public void On_a_video_batches_give_each_frame_what_it_gets_alone_on_the_output_grid()
    {
        // SLEAP's centered_pair video: 384x384 frames like those the fixture models were trained on.
        string video = Paths.Fixture("videos", "centered_pair_small.mp4");
        string import = $"Import-SleapModel '{ExportFixtures.Folder(ExportFixtures.TopDown)}'";
        var batched = _host.Run($"{import} | Invoke-SleapPredict -Video '{video}' -Frames '0-5' -BatchSize 4");
        var alone = _host.Run($"{import} | Invoke-SleapPredict -Video '{video}' -Frames '0-5' -BatchSize 1");
        Assert.Empty(batched.Errors);
        Assert.Empty(alone.Errors);
        var (a, b) = (batched.Single<Labels>(), alone.Single<Labels>());
        Assert.Equal(6, a.LabeledFrames.Count);
        Assert.True(a.InstanceCount > 0);
        Assert.Equal(b.LabeledFrames.SelectMany(f => f.Instances).SelectMany(i => i.Points), a.LabeledFrames.SelectMany(f => f.Instances).SelectMany(i => i.Points));
        // Centroid (stride 4) minus half the crop plus a crop peak (stride 2): even whole pixels, no refinement.
        Assert.All(a.LabeledFrames.SelectMany(f => f.Instances).SelectMany(i => i.Points).Where(p => p.IsPresent),
            p => Assert.True(p.X % 2 == 0 && p.Y % 2 == 0, $"({p.X}, {p.Y}) is off the grid"));
    }
}
