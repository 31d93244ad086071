using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.IO;
using SleapPS.Tests.Inference.Pipeline;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// Faults while a resumable run writes (docs/design/reliability.md §4): a full disk during the final merge, the
/// output's file system turning read-only mid-run. Afterwards the target is the old file untouched, the parts folder
/// resumes, and the resumed run's output equals an uninterrupted run's.
/// </summary>
public sealed class WriteFaultTests(ITestOutputHelper output) : IDisposable
{
    private const string Run = "{\"test\":\"write faults, frames 0-61\"}";
    private static readonly Dictionary<string, object?> Provenance = new() { ["predictor"] = "BrightestPixel" };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Predicts frames 0-61 into <paramref name="path"/>, calling <paramref name="afterAdd"/> with the count of frames
    /// handed to the writer after each (the writer saves a part of 10 within the Add that fills it); completes the file.
    /// </summary>
    private static ResumableSlpWriter Predict(string path, Action<int>? afterAdd = null, Action? beforeMerge = null)
    {
        var video = FrameSources.DescribeFile(PredictionPipelineTests.CenteredPair);
        var writer = new ResumableSlpWriter(path, PredictionPipelineTests.TwoNodes, [video], Run, dropEmptyFrames: false, framesPerPart: 10);
        var predictor = new BrightestPixelPredictor(PredictionPipelineTests.TwoNodes);
        var pipeline = new PredictionPipeline(predictor, new PredictionPipelineOptions { BatchSize = 4, Skip = writer.IsDone });
        int added = 0;
        foreach (var prediction in pipeline.Run([PredictionTargets.Video(video, FrameList.Parse("0-61").Expand())]))
        {
            writer.Add(prediction);
            afterAdd?.Invoke(++added);
        }
        beforeMerge?.Invoke();
        writer.Complete(Provenance);
        return writer;
    }

    /// <summary>A user's earlier file at the target, to prove it survives: a SLEAP fixture's bytes.</summary>
    private static byte[] OldFile => File.ReadAllBytes(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));

    [Fact]
    public void Disk_full_during_the_final_merge_leaves_the_old_file_and_the_parts_and_a_rerun_completes()
    {
        string whole = _dir.File("whole.slp");
        var reference = Predict(whole);
        long finalBytes = new FileInfo(whole).Length;

        string root = _dir.File("disk");
        using var disk = TmpfsMount.TryMount(root, 16 * 1024 * 1024);
        if (disk is null) { output.WriteLine(TmpfsMount.Unavailable); return; }
        string target = Path.Combine(root, "out.slp");
        string filler = Path.Combine(root, "filler");
        File.WriteAllBytes(target, OldFile);

        // Once every part is written, the disk fills up to half the merged file's size.
        var ex = Assert.Throws<SleapException>(() => Predict(target, beforeMerge: () =>
            File.WriteAllBytes(filler, new byte[new DriveInfo(root).AvailableFreeSpace - finalBytes / 2])));
        File.Delete(filler);

        Assert.Equal(SleapErrorKind.WriteError, ex.Kind);
        Assert.Contains(target, ex.Message);
        Assert.Equal(OldFile, File.ReadAllBytes(target));
        Assert.Equal(["out.slp", "out.slp.parts"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order());
        Assert.NotEmpty(Directory.GetFiles(target + ".parts", "part-*.slp"));

        File.Delete(target);
        var resumed = Predict(target);
        Assert.Equal(62, resumed.ResumedFrames);
        Assert.False(Directory.Exists(target + ".parts"));
        LabelsAssert.Equal(LabelsReader.Read(whole), LabelsReader.Read(target));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]   // file modes and thread capabilities, as CI runs it
    public void Permission_denied_mid_run_fails_clearly_and_the_parts_resume_to_the_uninterrupted_file()
    {
        string whole = _dir.File("whole.slp");
        Predict(whole);
        string folder = _dir.File("lab");
        Directory.CreateDirectory(folder);
        string target = Path.Combine(folder, "out.slp");
        File.WriteAllBytes(target, OldFile);

        // The writer runs on this thread; with file permissions holding for it (even as root), the parts folder is made
        // read-only once the first part of 10 is saved, so the second, due at frame 20, meets a real EACCES.
        SleapException ex;
        using (new FilePermissionsEnforced())
        {
            ex = Assert.Throws<SleapException>(() => Predict(target, afterAdd: n =>
            {
                if (n == 15) File.SetUnixFileMode(target + ".parts", UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }));
        }
        File.SetUnixFileMode(target + ".parts", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.Equal(SleapErrorKind.WriteError, ex.Kind);
        Assert.Contains(target, ex.Message);
        Assert.IsType<UnauthorizedAccessException>(ex.InnerException);
        Assert.Equal(OldFile, File.ReadAllBytes(target));
        var part = Assert.Single(Directory.GetFiles(target + ".parts", "part-*.slp"));
        Assert.Equal(10, LabelsReader.Read(part).LabeledFrames.Count);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp*", SearchOption.AllDirectories));

        File.Delete(target);
        var resumed = Predict(target);
        Assert.Equal(10, resumed.ResumedFrames);
        LabelsAssert.Equal(LabelsReader.Read(whole), LabelsReader.Read(target));
    }

    [Fact]
    public void Output_turning_read_only_mid_run_fails_clearly_and_the_parts_resume_to_the_uninterrupted_file()
    {
        string whole = _dir.File("whole.slp");
        Predict(whole);
        string root = _dir.File("disk");
        using var disk = TmpfsMount.TryMount(root, 16 * 1024 * 1024);
        if (disk is null) { output.WriteLine(TmpfsMount.Unavailable); return; }
        string target = Path.Combine(root, "out.slp");
        File.WriteAllBytes(target, OldFile);

        // Once 15 frames reached the writer, the first part of 10 is saved; the second, due at frame 20, cannot be. The
        // fault is timed by the writer's own count, not the predictor's, which runs ahead of it by a batch or more.
        var ex = Assert.Throws<SleapException>(() => Predict(target, afterAdd: n => { if (n == 15) disk.Remount("ro"); }));

        Assert.Equal(SleapErrorKind.WriteError, ex.Kind);
        Assert.Contains(root, ex.Message);
        Assert.Equal(OldFile, File.ReadAllBytes(target));
        disk.Remount("rw");
        var part = Assert.Single(Directory.GetFiles(target + ".parts", "part-*.slp"));
        Assert.Equal(10, LabelsReader.Read(part).LabeledFrames.Count);

        File.Delete(target);
        var resumed = Predict(target);
        Assert.Equal(10, resumed.ResumedFrames);
        LabelsAssert.Equal(LabelsReader.Read(whole), LabelsReader.Read(target));
    }
}
