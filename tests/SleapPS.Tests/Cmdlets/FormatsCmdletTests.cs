using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Export-SleapLabels and Import-SleapLabels with the package, NWB, DeepLabCut and COCO formats, in the real PowerShell engine.</summary>
public sealed class FormatsCmdletTests : IDisposable
{
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");
    private static readonly string MinimalInstance = Paths.Fixture("slp_hdf5", "minimal_instance.slp");

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_package_is_written_with_progress_and_imports_with_its_frames_inside()
    {
        var path = _dir.File("minimal.pkg.slp");
        var result = _host.Run($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}' -EmbedFrames User -PassThru");

        Assert.Empty(result.Errors);
        Assert.Equal(path, result.Single<FileInfo>().FullName);
        Assert.Contains(result.Progress, p => p.StatusDescription == "Frame 1 of 1");
        var video = _host.Run($"(Import-SleapLabels '{path}').Videos[0]").Single<Video>();
        Assert.Equal((path, "video0/video"), (video.Filename, video.Dataset));
        Assert.EndsWith("centered_pair_low_quality.mp4", video.SourceVideo!.Filename);
    }

    [Fact]
    public void EmbedFrames_with_a_plain_slp_name_writes_a_package()
    {
        var path = _dir.File("minimal.slp");
        _host.Run($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}' -EmbedFrames Labeled");
        Assert.Equal("video0/video", LabelsReader.Read(path).Videos[0].Dataset);
    }

    [Fact]
    public void EmbedFrames_with_another_format_is_refused_and_nothing_is_written()
    {
        var path = _dir.File("minimal.h5");
        var error = _host.RunExpectingError($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}' -EmbedFrames User");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal($"-EmbedFrames applies to packages (.pkg.slp), but '{path}' is written as Analysis. Drop -EmbedFrames or write a .pkg.slp file.", error.Exception.Message);
        Assert.Empty(_dir.Entries);
    }

    [Theory]
    [InlineData("centered_pair.nwb", "")]
    [InlineData("centered_pair.coco.json", "")]
    [InlineData("centered_pairDLC_SleapPS.csv", "-Format DeepLabCut")]
    public void Each_format_round_trips_through_the_cmdlets_and_is_not_replaced_without_Force(string name, string format)
    {
        var path = _dir.File(name);
        var result = _host.Run($"Import-SleapLabels '{Predictions}' | Export-SleapLabels '{path}' {format}; Import-SleapLabels '{path}'");
        Assert.Empty(result.Errors);
        var read = result.Single<Labels>();
        Assert.Equal((1100, 2274, 27), (read.LabeledFrames.Count, read.InstanceCount, read.Tracks.Count));

        long length = new FileInfo(path).Length;
        var error = _host.RunExpectingError($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}' {format}");
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        Assert.Equal($"The file '{path}' already exists. Use -Force to replace it.", error.Exception.Message);
        Assert.Equal(length, new FileInfo(path).Length);
    }

    [Fact]
    public void Untracked_animals_sharing_a_frame_cannot_go_to_NWB()
    {
        var path = _dir.File("minimal.nwb");
        var error = _host.RunExpectingError($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}'");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("Track the labels first (Start-SleapTracker)", error.Exception.Message);
        Assert.Empty(_dir.Entries);
    }
}
