using System.Management.Automation;
using System.Text.Json.Nodes;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Runs.Batch;
using SleapPS.Engine.IO;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>
/// Invoke-SleapPredict -OutputDirectory in the real PowerShell engine, on fixture videos (linked under other names so
/// that a batch has several): one .slp per video equal to a single run, skip / force / resume, the manifest, a failed
/// video, locks and bad output folders (docs/design/batch-runs.md).
/// </summary>
public sealed class InvokeSleapPredictBatchTests : IDisposable
{
    // The single-instance robot model: one peak per node is quick on any video (a top-down model finds crops all over
    // a video it was not trained on, which is slow).
    private static readonly string Model = ModelFolders.Path(ModelFolders.SingleInstance);

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();
    private readonly string _videos;
    private readonly string _out;

    public InvokeSleapPredictBatchTests()
    {
        _videos = _dir.File("videos");
        _out = _dir.File("out");
        Directory.CreateDirectory(_videos);
        File.CreateSymbolicLink(Path.Combine(_videos, "a.mp4"), Paths.Fixture("videos", "small_robot.mp4"));
        File.CreateSymbolicLink(Path.Combine(_videos, "b.mp4"), Paths.Fixture("videos", "centered_pair_small.mp4"));
        _host.Run($"$p = Import-SleapModel '{Model}' -CacheFolder '{_dir.File("cache")}'");
    }

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    private string A => Path.Combine(_videos, "a.mp4");
    private string B => Path.Combine(_videos, "b.mp4");
    private string OutputOf(string name) => Path.Combine(_out, name + ".predictions.slp");

    private PowerShellHost.Result Batch(string videos, string more = "") =>
        _host.Run($"$p | Invoke-SleapPredict -Video {videos} -Frames 0-7 -OutputDirectory '{_out}' -ProgressReporting None {more}");

    private static List<BatchVideoResult> Summaries(PowerShellHost.Result result) =>
        result.Output.Select(o => (BatchVideoResult)o.BaseObject).ToList();

    [Fact]
    public void A_frame_that_does_not_decode_is_listed_in_the_summary_and_the_manifest_and_the_others_keep_their_numbers()
    {
        // Issue 15's damaged video in a batch (docs/design/reliability.md §5): frame 5's JPEG is zeroed.
        string damaged = Reliability.BadVideoTests.WriteNumberedAvi(Path.Combine(_videos, "d.avi"));
        Reliability.BadVideoTests.ZeroFramePayload(damaged, 5);

        var result = Batch($"'{damaged}'");

        Assert.Empty(result.Errors);
        var summary = Assert.Single(Summaries(result));
        Assert.Equal(BatchVideoStatus.Predicted, summary.Status);
        Assert.Equal([5L], summary.UnreadableFrames);
        var written = LabelsReader.Read(OutputOf("d"));
        Assert.DoesNotContain(5L, written.LabeledFrames.Select(f => f.FrameIndex));
        Assert.All(written.LabeledFrames, f => Assert.InRange(f.FrameIndex, 0, 7));
        var entry = JsonNode.Parse(File.ReadAllText(Path.Combine(_out, BatchManifest.JsonName)))!["videos"]![0]!;
        Assert.Equal([5L], entry["unreadable_frames"]!.AsArray().Select(n => n!.GetValue<long>()));
    }

    [Fact]
    public void A_batch_writes_one_slp_per_video_equal_to_single_runs_of_each()
    {
        var result = Batch($"'{A}', '{B}'");

        Assert.Empty(result.Errors);
        var summaries = Summaries(result);
        Assert.Equal([(A, OutputOf("a"), BatchVideoStatus.Predicted, 8L), (B, OutputOf("b"), BatchVideoStatus.Predicted, 8L)],
            summaries.Select(s => (s.Video, s.OutputPath, s.Status, s.Frames)));
        foreach (var (video, name, summary) in new[] { (A, "a", summaries[0]), (B, "b", summaries[1]) })
        {
            string single = _dir.File(name + ".single.slp");
            _host.Run($"$p | Invoke-SleapPredict -Video '{video}' -Frames 0-7 -OutputPath '{single}'");
            var batched = LabelsReader.Read(OutputOf(name));
            var alone = LabelsReader.Read(single);
            Assert.Equal(alone.LabeledFrames.Select(f => f.FrameIndex), batched.LabeledFrames.Select(f => f.FrameIndex));
            Assert.Equal(Points(alone), Points(batched));
            Assert.Equal(alone.InstanceCount, summary.Instances);
            Assert.Equal(video, batched.Provenance["data_path"]);
            Assert.Equal(OutputOf(name), batched.Provenance["output_path"]);
            // The independent reader agrees on what was written.
            var js = SleapIoJs.LoadSlp(OutputOf(name));
            Assert.Equal(8, js["counts"]!["labeled_frames"]!.GetValue<int>());
            Assert.Equal(alone.InstanceCount, js["counts"]!["predicted_instances"]!.GetValue<int>());
        }
        Assert.Equal(["a.predictions.slp", "b.predictions.slp", BatchManifest.CsvName, BatchManifest.JsonName],
            Directory.GetFileSystemEntries(_out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Complete_outputs_are_skipped_Force_predicts_them_again_and_a_stopped_batch_resumes()
    {
        Batch($"'{A}'");
        var written = File.GetLastWriteTimeUtc(OutputOf("a"));
        var points = Points(LabelsReader.Read(OutputOf("a")));

        var again = Batch($"'{A}'");
        Assert.Equal([(BatchVideoStatus.Skipped, 0L)], Summaries(again).Select(s => (s.Status, s.Frames)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(OutputOf("a")));
        // A skipped video keeps the manifest entry of the run that predicted it.
        var entry = Assert.Single(ManifestEntries());
        Assert.Equal(("Predicted", 8L), ((string)entry["status"]!, (long)entry["frames"]!));

        var forced = Batch($"'{A}'", "-Force");
        Assert.Equal([(BatchVideoStatus.Predicted, 8L)], Summaries(forced).Select(s => (s.Status, s.Frames)));
        Assert.NotEqual(written, File.GetLastWriteTimeUtc(OutputOf("a")));

        // Stopped (as Ctrl+C) after its first batch of 4 frames: the frames done stay in the parts folder.
        File.Delete(OutputOf("a"));
        _host.RunAndStopAfterProgress($"$p | Invoke-SleapPredict -Video '{A}' -Frames 0-7 -BatchSize 4 -OutputDirectory '{_out}'", progressRecords: 1);
        Assert.False(File.Exists(OutputOf("a")));
        Assert.NotEmpty(Directory.GetFiles(OutputOf("a") + ".parts", "part-*.slp"));
        var resumed = Summaries(Batch($"'{A}'", "-BatchSize 4")).Single();
        Assert.Equal(BatchVideoStatus.Resumed, resumed.Status);
        Assert.InRange(resumed.ResumedFrames, 4, 8);   // 8: the stop reached it while the parts were merged
        Assert.Equal(8, resumed.ResumedFrames + resumed.Frames);
        Assert.Equal(points, Points(LabelsReader.Read(OutputOf("a"))));
        Assert.False(Directory.Exists(OutputOf("a") + ".parts"));
        Assert.Equal("Resumed", (string)Assert.Single(ManifestEntries())["status"]!);
    }

    [Fact]
    public void A_video_that_fails_is_one_error_and_a_Failed_entry_and_the_others_are_predicted()
    {
        string bad = Path.Combine(_videos, "bad.mp4");
        File.WriteAllText(bad, "not a video");

        var result = Batch($"'{A}', '{bad}', '{B}'");

        var error = Assert.Single(result.Errors);
        Assert.Equal("VideoFailed,SleapPS.Cmdlets.InvokeSleapPredictCommand", error.FullyQualifiedErrorId);
        string message = $"The file '{bad}' cannot be read as a video: OpenCV (FFmpeg) cannot open it. It may be damaged or not a video; check that it plays in a media player.";
        Assert.Equal(message, error.Exception.Message);
        var summaries = Summaries(result);
        Assert.Equal([BatchVideoStatus.Predicted, BatchVideoStatus.Failed, BatchVideoStatus.Predicted], summaries.Select(s => s.Status));
        Assert.Equal(message, summaries[1].Error);
        Assert.False(File.Exists(OutputOf("bad")));
        Assert.False(Directory.Exists(OutputOf("bad") + ".parts"));

        var entries = ManifestEntries();
        Assert.Equal([("a.predictions.slp", "Predicted", 8L, (string?)null), ("bad.predictions.slp", "Failed", 0L, message), ("b.predictions.slp", "Predicted", 8L, null)],
            entries.Select(e => ((string)e["output"]!, (string)e["status"]!, (long)e["frames"]!, (string?)e["error"])));
        Assert.Equal([A, bad, B], entries.Select(e => (string)e["video"]!));
        Assert.Equal(summaries[0].Instances, (long)entries[0]["instances"]!);
        var csv = File.ReadAllLines(Path.Combine(_out, BatchManifest.CsvName));
        Assert.Equal("video,output,status,frames,resumed_frames,instances,seconds,frames_per_second,instances_per_frame,unreadable_frames,error,finished", csv[0]);
        Assert.Equal(4, csv.Length);
        Assert.StartsWith($"{bad},bad.predictions.slp,Failed,0,0,0,", csv[2]);
        Assert.Contains($",{message},", csv[2]);   // no comma in it: written as it is
    }

    [Fact]
    public void A_video_whose_output_another_run_holds_is_left_to_it_with_an_error_naming_the_holder()
    {
        Directory.CreateDirectory(_out);
        using (var held = OutputLock.Acquire(OutputOf("a")))
        {
            var result = Batch($"'{A}', '{B}'");

            string holder = $"process {Environment.ProcessId} on host {Environment.MachineName} since {held.Owner.Since:yyyy-MM-dd HH:mm:ss}Z";
            var error = Assert.Single(result.Errors);
            Assert.Equal("OutputInUse,SleapPS.Cmdlets.InvokeSleapPredictCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
            Assert.Equal($"The output '{OutputOf("a")}' is being written by {holder}: two runs never write the same output. " +
                $"Wait for that run to finish, or stop it; if no such run exists any more, the lock '{OutputOf("a")}.lock' is free and the next run takes it.",
                error.Exception.Message);
            Assert.Equal([BatchVideoStatus.Locked, BatchVideoStatus.Predicted], Summaries(result).Select(s => s.Status));
            Assert.False(File.Exists(OutputOf("a")));
            Assert.False(Directory.Exists(OutputOf("a") + ".parts"));
            // The holder records its own video: the manifest has only the video this run predicted.
            Assert.Equal(["b.predictions.slp"], ManifestEntries().Select(e => (string)e["output"]!));

            var single = _host.RunExpectingError($"$p | Invoke-SleapPredict -Video '{A}' -Frames 0-7 -OutputPath '{OutputOf("a")}'");
            Assert.Equal("OutputInUse,SleapPS.Cmdlets.InvokeSleapPredictCommand", single.FullyQualifiedErrorId);
            Assert.StartsWith($"The output '{OutputOf("a")}' is being written by {holder}", single.Exception.Message);
        }
        // Released: the next run predicts it, and no lock file is left.
        Assert.Equal([BatchVideoStatus.Predicted, BatchVideoStatus.Skipped], Summaries(Batch($"'{A}', '{B}'")).Select(s => s.Status));
        Assert.False(File.Exists(OutputOf("a") + ".lock"));
        Assert.False(File.Exists(OutputOf("a") + ".lock.owner"));
    }

    [Fact]
    public void OutputPath_in_a_new_folder_makes_the_folder_and_leaves_no_lock()
    {
        string output = _dir.File(Path.Combine("new", "sub", "a.slp"));
        var result = _host.Run($"$p | Invoke-SleapPredict -Video '{A}' -Frames 0-3 -OutputPath '{output}'");

        Assert.Empty(result.Errors);
        Assert.Equal(4, LabelsReader.Read(output).LabeledFrames.Count);
        Assert.Equal(["a.slp"], Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!).Select(Path.GetFileName));
    }

    [Fact]
    public void OutputDirectory_with_OutputPath_is_refused_before_anything_is_read()
    {
        var error = _host.RunExpectingError($"$p | Invoke-SleapPredict -Video '{A}' -OutputDirectory '{_out}' -OutputPath '{_dir.File("x.slp")}'");
        Assert.Equal("OutputDirectoryWithOutputPath,SleapPS.Cmdlets.InvokeSleapPredictCommand", error.FullyQualifiedErrorId);
        Assert.Equal("-OutputPath writes all videos into one file and -OutputDirectory writes one file per video: give one of them, not both.", error.Exception.Message);
        Assert.False(Directory.Exists(_out));
        Assert.False(File.Exists(_dir.File("x.slp")));
    }

    [Theory]
    [InlineData("under-a-file")]
    [InlineData("proc")]
    public void An_output_folder_that_cannot_be_written_stops_the_batch_before_any_video_is_read(string kind)
    {
        string folder;
        if (kind == "proc")
        {
            // Exists, and no one (not even root) can create files in it.
            if (!Directory.Exists("/proc/self")) return;
            folder = "/proc/self";
        }
        else
        {
            File.WriteAllText(_dir.File("file.txt"), "");
            folder = Path.Combine(_dir.File("file.txt"), "out");
        }
        var error = _host.RunExpectingError($"$p | Invoke-SleapPredict -Video '{A}' -Frames 0-7 -OutputDirectory '{folder}'");

        Assert.Equal("OutputNotWritable,SleapPS.Cmdlets.InvokeSleapPredictCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        Assert.StartsWith($"Cannot write predictions into the folder '{folder}': ", error.Exception.Message);
        Assert.EndsWith(". Choose a folder you can create files in with -OutputDirectory.", error.Exception.Message);
        Assert.Equal(["cache", "videos"], _dir.Entries.Where(e => e != "file.txt").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_folder_with_no_videos_is_one_error_and_writes_nothing()
    {
        string empty = _dir.File("empty");
        Directory.CreateDirectory(empty);

        var result = _host.Run($"$p | Invoke-SleapPredict -Video '{empty}/*.mp4' -OutputDirectory '{_out}'");

        var error = Assert.Single(result.Errors);
        Assert.Equal($"No file matches '{empty}/*.mp4'.", error.Exception.Message);
        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(_out));
    }

    [Fact]
    public void Json_progress_goes_to_the_log_one_line_per_report_with_the_videos_position()
    {
        string log = _dir.File("progress.jsonl");
        var result = _host.Run($"$p | Invoke-SleapPredict -Video '{A}', '{B}' -Frames 0-7 -BatchSize 4 -OutputDirectory '{_out}' -ProgressLog '{log}'");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Progress);
        var lines = File.ReadAllLines(log).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        // Each video's last report is always written: it says the video is done.
        foreach (var (video, number) in new[] { (A, 1), (B, 2) })
        {
            var last = lines.Last(l => (string)l["video"]! == video);
            Assert.Equal((8L, 8L, number, 2), ((long)last["n_processed"]!, (long)last["n_total"]!, (int)last["video_number"]!, (int)last["video_count"]!));
            Assert.Equal(0.0, (double)last["eta"]!);
        }
        Assert.All(lines, l => Assert.Equal(["n_processed", "n_total", "elapsed", "rate", "eta", "video", "video_number", "video_count", "time"], l.Select(p => p.Key)));
        Assert.InRange(lines.Count, 2, 4);   // 2 batches per video, at most one line per half second
    }

    [Fact]
    public void ProgressLog_with_Rich_progress_is_refused()
    {
        var error = _host.RunExpectingError($"$p | Invoke-SleapPredict -Video '{A}' -ProgressReporting Rich -ProgressLog '{_dir.File("p.log")}'");
        Assert.Equal("-ProgressLog writes JSON progress lines, so it cannot be used with -ProgressReporting Rich. Leave out -ProgressReporting, or give Json.", error.Exception.Message);
    }

    [Fact]
    public void Rich_progress_names_the_videos_position_in_the_batch()
    {
        var result = _host.Run($"$p | Invoke-SleapPredict -Video '{A}', '{B}' -Frames 0-7 -OutputDirectory '{_out}'");

        Assert.Contains(result.Progress, p => p.Activity == "Predicting poses (SingleInstance), video 2 of 2" && p.StatusDescription.StartsWith("8 of 8 frames"));
    }

    private List<JsonObject> ManifestEntries() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(_out, BatchManifest.JsonName)))!["videos"]!.AsArray().Select(v => v!.AsObject()).ToList();

    private static List<(long Frame, double X, double Y, double Score)> Points(Labels labels) =>
        labels.LabeledFrames.SelectMany(f => f.Instances.OfType<PredictedInstance>().SelectMany(i => i.Points.Select(p => (f.FrameIndex, p.X, p.Y, p.Score)))).ToList();
}
