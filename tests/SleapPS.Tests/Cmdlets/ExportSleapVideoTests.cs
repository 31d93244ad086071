using System.Management.Automation;
using System.Management.Automation.Runspaces;
using SleapPS.Engine.Data;
using SleapPS.Engine.Rendering;
using SleapPS.Tests.Rendering;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Export-SleapVideo in the real PowerShell engine, on SLEAP's fixtures.</summary>
public sealed class ExportSleapVideoTests : IDisposable
{
    private const string CmdletType = "SleapPS.Cmdlets.ExportSleapVideoCommand";
    private static readonly string Clip = Paths.Fixture("tracks", "clip.slp");
    private static readonly string MinimalInstance = Paths.Fixture("slp_hdf5", "minimal_instance.slp");

    private readonly TempDir _dir = new();
    private readonly PowerShellHost _host;

    public ExportSleapVideoTests()
    {
        _host = new PowerShellHost();
        // Relative output paths resolve against PowerShell's location. (Set-Location is not among the
        // core cmdlets of the hosted runspace, so the location is set through the session state.)
        _host.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{_dir.FullName}')");
    }

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Labels_from_the_pipeline_render_to_a_video_with_PassThru_and_progress()
    {
        var result = _host.Run($"Import-SleapLabels '{Clip}' | Export-SleapVideo ./clip.avi -Frames (0..4) -PassThru");
        Assert.Empty(result.Errors);
        var file = result.Single<FileInfo>();
        Assert.Equal(_dir.File("clip.avi"), file.FullName);
        Assert.True(file.Length > 0);
        Assert.Equal(["clip.avi"], _dir.Entries);

        var (frames, fps, _) = RenderedFrames.DecodeVideo(file.FullName);
        Assert.Equal(5, frames.Count);
        Assert.Equal(25.0, fps, 3);
        Assert.All(frames, f => Assert.Equal((1024, 1024), (f.Cols, f.Rows)));

        Assert.NotEmpty(result.Progress);
        var first = result.Progress[0];
        Assert.Equal("Frame 1 of 5 (video frame 0)", first.StatusDescription);
        Assert.Equal(20, first.PercentComplete);
        Assert.True(first.SecondsRemaining >= 0);
        Assert.Contains(result.Progress, p => p.StatusDescription == "Frame 5 of 5 (video frame 4)" && p.PercentComplete == 100);
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Fact]
    public void Frames_as_text_a_video_index_and_drawing_options_are_used()
    {
        var result = _host.Run($"$labels = Import-SleapLabels '{MinimalInstance}'; " +
                               "Export-SleapVideo -InputObject $labels -Path ./minimal.mp4 -Video 0 -Frames '0-2,10-11' -Codec MJPG -Fps 5 " +
                               "-MarkerSize 3 -LineWidth 1 -ShowNodeNames -ShowScores -Scale 0.5 -PassThru");
        Assert.Empty(result.Errors);
        var (frames, fps, _) = RenderedFrames.DecodeVideo(result.Single<FileInfo>().FullName);
        Assert.Equal(5, frames.Count);
        Assert.Equal(5.0, fps, 3);
        Assert.All(frames, f => Assert.Equal((192, 192), (f.Cols, f.Rows)));
    }

    [Fact]
    public void A_png_path_writes_one_image_per_frame_or_exactly_the_path_for_one_frame()
    {
        var series = _host.Run($"Import-SleapLabels '{Clip}' | Export-SleapVideo ./clip.png -Frames 3, 1, 2 -PassThru");
        Assert.Empty(series.Errors);
        Assert.Equal(["clip.0003.png", "clip.0001.png", "clip.0002.png"], series.Output.Select(o => ((FileInfo)o.BaseObject).Name));

        var single = _host.Run($"$labels = Import-SleapLabels '{Clip}'; Export-SleapVideo ./one.png -InputObject $labels -Video $labels.Videos[0] -Frames 7 -PassThru");
        Assert.Equal(_dir.File("one.png"), single.Single<FileInfo>().FullName);
        using var image = RenderedFrames.DecodePng(_dir.File("one.png"));
        var labels = SleapPS.Engine.IO.LabelsReader.Read(Clip);
        var instance = labels.Find(labels.Videos[0], 7)!.Instances[0];
        var point = instance.Points.First(p => p.IsPresent);
        Assert.Equal(RenderPalette.Colors[labels.Tracks.FindIndex(t => t.Name == instance.Track!.Name)],
            RenderedFrames.At(image, (int)Math.Round(point.X), (int)Math.Round(point.Y)));
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        var result = _host.Run($"Import-SleapLabels '{Clip}' | Export-SleapVideo ./clip.mp4 -Frames 0..4 -WhatIf -PassThru");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Empty(_dir.Entries);
    }

    [Fact]
    public void A_missing_video_is_ObjectNotFound_naming_the_stored_filename()
    {
        File.Copy(Clip, _dir.File("clip.slp"));
        var error = _host.RunExpectingError("Import-SleapLabels ./clip.slp -WarningAction SilentlyContinue | Export-SleapVideo ./out.mp4");
        AssertError(error, ErrorCategory.ObjectNotFound,
            "The video 'clip.mp4' of these labels was not found, so there are no frames to draw on. Import the labels again with Import-SleapLabels -VideoSearchPath <the folder that holds the video>.");
        Assert.Equal(["clip.slp"], _dir.Entries);
    }

    [Fact]
    public void A_missing_output_folder_is_ObjectNotFound()
    {
        string folder = _dir.File("missing");
        var error = _host.RunExpectingError($"Import-SleapLabels '{MinimalInstance}' | Export-SleapVideo ./missing/out.mp4 -Frames 0");
        AssertError(error, ErrorCategory.ObjectNotFound,
            $"Cannot write '{Path.Combine(folder, "out.mp4")}': the folder '{folder}' does not exist. Create it first, or choose another output path.");
    }

    [Fact]
    public void An_existing_file_needs_Force()
    {
        File.WriteAllText(_dir.File("out.avi"), "keep me");
        var error = _host.RunExpectingError($"Import-SleapLabels '{MinimalInstance}' | Export-SleapVideo ./out.avi -Frames 0");
        AssertError(error, ErrorCategory.WriteError, $"Cannot write '{_dir.File("out.avi")}': the file already exists. Use -Force to replace it.");
        Assert.Equal("keep me", File.ReadAllText(_dir.File("out.avi")));

        Assert.Empty(_host.Run($"Import-SleapLabels '{MinimalInstance}' | Export-SleapVideo ./out.avi -Frames 0 -Force").Errors);
        Assert.Single(RenderedFrames.DecodeVideo(_dir.File("out.avi")).Frames);
    }

    [Fact]
    public void An_unknown_extension_is_InvalidArgument()
    {
        var error = _host.RunExpectingError($"Import-SleapLabels '{MinimalInstance}' | Export-SleapVideo ./out.gif -Frames 0");
        AssertError(error, ErrorCategory.InvalidArgument,
            $"Cannot render to '{_dir.File("out.gif")}': its extension '.gif' is none of .mp4, .avi (video) or .png (images).");
    }

    [Fact]
    public void Frames_out_of_range_and_unknown_codecs_and_videos_are_refused_naming_the_value()
    {
        AssertError(_host.RunExpectingError($"Import-SleapLabels '{Clip}' | Export-SleapVideo ./out.mp4 -Frames '1490-1510'"),
            ErrorCategory.InvalidArgument, "Frame 1510 is out of range for the video 'clip.mp4', which has 1500 frames (0 to 1499).");
        AssertError(_host.RunExpectingError($"Import-SleapLabels '{Clip}' | Export-SleapVideo ./out.mp4 -Frames 'ten'"),
            ErrorCategory.InvalidArgument, "The frame list 'ten' cannot be read at 'ten'. Write frame numbers (from 0) and inclusive ranges separated by commas, for example '0-99,200,300-310' or '0..99'.");
        AssertError(_host.RunExpectingError($"Import-SleapLabels '{Clip}' | Export-SleapVideo ./out.mp4 -Codec H264"),
            ErrorCategory.NotImplemented, $"The codec 'H264' cannot write '{_dir.File("out.mp4")}'. Codecs that work for .mp4 files here: mp4v, MJPG, XVID.");
        AssertError(_host.RunExpectingError($"Import-SleapLabels '{Clip}' | Export-SleapVideo ./out.mp4 -Video 1"),
            ErrorCategory.InvalidArgument, "There is no video 1: these labels have 1 video(s), numbered 0 to 0.");
        Assert.Empty(_dir.Entries);
    }

    [Fact]
    public void Stopping_the_pipeline_cancels_the_render_early_and_leaves_no_file()
    {
        var state = InitialSessionState.CreateDefault2();
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript($"Import-Module '{Paths.ModuleManifest}'; Import-SleapLabels '{Clip}' | Export-SleapVideo '{_dir.File("all.mp4")}' -Frames 0..1499");
        using var firstProgress = new ManualResetEventSlim();
        ps.Streams.Progress.DataAdded += (_, _) => firstProgress.Set();

        var running = ps.BeginInvoke();
        Assert.True(firstProgress.Wait(TimeSpan.FromSeconds(60)), "no progress record arrived");
        ps.Stop();
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
        Assert.True(ps.Streams.Progress.Count < 1500 / 2, "the render ran on after Stop()");
        Assert.Empty(_dir.Entries);
    }

    private static void AssertError(ErrorRecord error, ErrorCategory category, string message)
    {
        Assert.Equal(message, error.Exception.Message);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal($"VideoExportFailed,{CmdletType}", error.FullyQualifiedErrorId);
    }
}
