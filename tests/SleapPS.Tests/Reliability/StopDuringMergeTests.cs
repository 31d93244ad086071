using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Inference.Runs;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// Ctrl+C while a finished -OutputPath run merges its parts into the output (docs/design/reliability.md §4): the stop
/// is fired from the run's own merge progress, so it lands at a known point of the merge on any machine. The target
/// is left as it was byte for byte, no temporary file stays, the parts folder is kept, and a rerun merges it into the
/// file an uninterrupted run writes.
/// </summary>
public sealed class StopDuringMergeTests : IDisposable
{
    private const int FramesPerPart = 8;
    private static readonly IReadOnlyList<long> Frames = FrameList.Parse("0-39").Expand();

    private readonly TempDir _dir = new();
    private readonly Predictor _predictor;
    private readonly PosePredictor _posePredictor;

    public StopDuringMergeTests()
    {
        _predictor = Predictor.Load([ModelFolders.Path(ModelFolders.SingleInstance)], new ModelLoadOptions { CacheFolder = _dir.File("cache") }, new InferenceSettings());
        _posePredictor = PosePredictors.Create(_predictor, new InferenceSettings());
    }

    public void Dispose()
    {
        _posePredictor.Dispose();
        _predictor.Dispose();
        _dir.Dispose();
    }

    private PredictionRun NewRun(string output) => new(_posePredictor, new PredictionRunOptions
    {
        Predictor = _predictor,
        Settings = new InferenceSettings(),
        Targets = [PredictionTargets.Video(FrameSources.DescribeFile(Paths.Fixture("videos", "small_robot.mp4")), Frames)],
        Output = PredictionRunOutput.File,
        OutputPath = output,
        FramesPerPart = FramesPerPart,
    });

    /// <summary>A user's earlier file at the target, to prove it survives: a SLEAP fixture's bytes.</summary>
    private static byte[] OldFile => File.ReadAllBytes(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));

    /// <param name="stopAt">Parts merged when the stop comes: 0 as writing starts, 2 midway, 5 (all) just before the move.</param>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(5)]
    public void A_stop_during_the_merge_keeps_the_old_file_and_the_parts_and_a_rerun_writes_the_uninterrupted_file(int stopAt)
    {
        string whole = _dir.File("whole.slp");
        var uninterrupted = NewRun(whole);
        Assert.True(uninterrupted.Predict());
        uninterrupted.Complete();

        string folder = _dir.File("out");
        Directory.CreateDirectory(folder);
        string target = Path.Combine(folder, "out.slp");
        File.WriteAllBytes(target, OldFile);
        using var stop = new CancellationTokenSource();
        string[]? atStop = null;
        int partsInMerge = 0;
        var events = new PredictionRunEvents
        {
            Merging = (merged, total) =>
            {
                partsInMerge = total;
                if (merged != stopAt) return;
                atStop = Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order().ToArray()!;
                stop.Cancel();
            },
        };

        var run = NewRun(target);
        Assert.True(run.Predict(events, stop.Token));
        Assert.Throws<OperationCanceledException>(() => run.Complete());

        Assert.Equal(5, partsInMerge);
        // The stop came while the merged file was being written: a temporary file beside the target.
        Assert.NotNull(atStop);
        Assert.Equal(3, atStop!.Length);
        Assert.Contains(atStop, name => name!.StartsWith(".out.slp.") && name.EndsWith(".tmp"));
        Assert.Equal(OldFile, File.ReadAllBytes(target));
        Assert.Equal(["out.slp", "out.slp.parts"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order());
        Assert.Equal(5, Directory.GetFiles(target + ".parts", "part-*.slp").Length);

        var rerun = NewRun(target);
        Assert.True(rerun.Predict());
        rerun.Complete();
        Assert.Equal(Frames.Count, rerun.ResumedFrames);
        Assert.Equal(0, rerun.FramesPredicted);
        Assert.Equal(["out.slp"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        LabelsAssert.Equal(WithoutProvenance(whole), WithoutProvenance(target));
    }

    /// <summary>The labels of a file with the provenance (the run's times and paths) left out.</summary>
    private static Labels WithoutProvenance(string path)
    {
        var labels = LabelsReader.Read(path);
        labels.Provenance.Clear();
        return labels;
    }
}
