using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

public sealed class GetSleapVideoTests : IDisposable
{
    private const string CmdletType = "SleapPS.Cmdlets.GetSleapVideoCommand";
    private readonly PowerShellHost _host = new();
    private static readonly string Robot = Paths.Fixture("videos", "small_robot.mp4");
    private static readonly string CenteredPair = Paths.Fixture("videos", "centered_pair_small.mp4");

    [Fact]
    public void A_path_gives_the_video_with_its_shape()
    {
        var video = _host.Run($"Get-SleapVideo '{Robot}'").Single<Video>();
        Assert.Equal(Robot, video.Filename);
        Assert.Equal(Robot, video.ResolvedPath);
        Assert.Equal(VideoBackend.Media, video.Backend);
        Assert.Equal((166L, 320, 560, 3), (video.FrameCount, video.Height, video.Width, video.Channels));
        Assert.Equal(30.0, video.Fps!.Value, 3);
        Assert.False(video.Grayscale);
    }

    [Fact]
    public void Wildcards_expand_to_every_matching_video()
    {
        var result = _host.Run($"Get-SleapVideo -Path '{Paths.Fixture("videos")}/small_robot*.mp4'");
        Assert.Empty(result.Errors);
        var videos = result.Output.Select(o => (Video)o.BaseObject).OrderBy(v => v.Filename, StringComparer.Ordinal).ToList();
        Assert.Equal([Robot, Paths.Fixture("videos", "small_robot_3_frame.mp4")], videos.Select(v => v.Filename));
        Assert.Equal([166L, 3L], videos.Select(v => v.FrameCount!.Value));
    }

    [Fact]
    public void Paths_bind_from_the_pipeline()
    {
        var result = _host.Run($"'{Robot}', '{CenteredPair}' | Get-SleapVideo");
        Assert.Empty(result.Errors);
        Assert.Equal([3, 1], result.Output.Select(o => ((Video)o.BaseObject).Channels!.Value));
    }

    [Fact]
    public void File_objects_bind_to_LiteralPath_by_their_PSPath()
    {
        // What Get-ChildItem emits: a provider-qualified PSPath.
        var video = _host.Run($"[pscustomobject]@{{ PSPath = 'Microsoft.PowerShell.Core\\FileSystem::{CenteredPair}' }} | Get-SleapVideo").Single<Video>();
        Assert.Equal(CenteredPair, video.ResolvedPath);
        Assert.True(video.Grayscale);
        Assert.Equal((1100L, 384, 384, 1), (video.FrameCount, video.Height, video.Width, video.Channels));
    }

    [Fact]
    public void LiteralPath_and_its_aliases_take_the_path_as_written()
    {
        foreach (var parameter in new[] { "-LiteralPath", "-LP", "-PSPath" })
            Assert.Equal(3L, _host.Run($"Get-SleapVideo {parameter} '{Paths.Fixture("videos", "small_robot_3_frame.mp4")}'").Single<Video>().FrameCount);
    }

    [Fact]
    public void A_folder_is_read_as_an_image_sequence()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "robot0.jpg", "robot1.jpg", "robot2.jpg" })
            File.Copy(Paths.Fixture("videos", name), dir.File(name));
        var video = _host.Run($"Get-SleapVideo -LiteralPath '{dir.FullName}'").Single<Video>();
        Assert.Equal(VideoBackend.ImageSequence, video.Backend);
        Assert.Equal((3L, 320, 560, 3), (video.FrameCount, video.Height, video.Width, video.Channels));
    }

    [Fact]
    public void A_missing_path_is_an_ObjectNotFound_error_and_the_rest_goes_on()
    {
        string missing = Paths.Fixture("videos", "missing.mp4");
        var result = _host.Run($"Get-SleapVideo '{missing}', '{Robot}'");
        Assert.Equal(Robot, result.Single<Video>().Filename);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"PathNotFound,{CmdletType}", error.FullyQualifiedErrorId);
        Assert.Equal($"Cannot find path '{missing}' because it does not exist.", error.Exception.Message);
        Assert.Equal(missing, error.TargetObject);
    }

    [Fact]
    public void A_wildcard_that_matches_nothing_is_an_ObjectNotFound_error()
    {
        string pattern = Paths.Fixture("videos", "nothing*.mp4");
        var error = Assert.Single(_host.Run($"Get-SleapVideo '{pattern}'").Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"PathNotFound,{CmdletType}", error.FullyQualifiedErrorId);
        Assert.Equal($"No file matches '{pattern}'.", error.Exception.Message);
    }

    [Fact]
    public void An_unreadable_video_is_an_InvalidData_error_naming_it()
    {
        using var dir = new TempDir();
        string path = dir.File("notes.mp4");
        File.WriteAllText(path, "these are not frames\n");
        var result = _host.Run($"Get-SleapVideo -LiteralPath '{path}', '{Robot}'");
        Assert.Single(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal($"VideoUnreadable,{CmdletType}", error.FullyQualifiedErrorId);
        Assert.Equal($"The file '{path}' cannot be read as a video: OpenCV (FFmpeg) cannot open it. It may be damaged or not a video; check that it plays in a media player.", error.Exception.Message);
        Assert.Equal(path, error.TargetObject);
    }

    [Fact]
    public void A_file_that_is_not_a_video_is_a_NotImplemented_error()
    {
        string path = Paths.Fixture("README.md");
        var error = Assert.Single(_host.Run($"Get-SleapVideo -LiteralPath '{path}'").Errors);
        Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
        Assert.Equal($"VideoNotSupported,{CmdletType}", error.FullyQualifiedErrorId);
        Assert.StartsWith($"'{path}' is not a video SleapPS can read: its extension '.md' is none of .mp4,", error.Exception.Message);
    }

    [Fact]
    public void Labels_videos_are_opened_where_available_and_missing_ones_warned_about()
    {
        var labels = new Labels();
        labels.Videos.Add(new Video("/old/machine/centered_pair_small.mp4", VideoBackend.Media) { ResolvedPath = CenteredPair });
        labels.Videos.Add(new Video(@"C:\lab\fly.mp4", VideoBackend.Media) { Height = 100 });
        foreach (var script in new[] { "Get-SleapVideo -Labels $labels", "$labels | Get-SleapVideo" })
        {
            var result = _host.Run(script, new Dictionary<string, object?> { ["labels"] = labels });
            Assert.Empty(result.Errors);
            var videos = result.Output.Select(o => (Video)o.BaseObject).ToList();
            Assert.Equal(labels.Videos, videos);
            Assert.Equal((1100L, 384, 384, 1), (videos[0].FrameCount, videos[0].Height, videos[0].Width, videos[0].Channels));
            Assert.True(videos[0].Grayscale);
            Assert.Null(videos[1].FrameCount);
            Assert.Equal(100, videos[1].Height);
            var warning = Assert.Single(result.Warnings);
            Assert.Equal(@"The video 'C:\lab\fly.mp4' was not found, so its frames cannot be read. Pass the folder that holds it with -VideoSearchPath, or put it next to the labels file.", warning);
        }
    }

    [Fact]
    public void Help_file_documents_every_parameter()
    {
        string help = File.ReadAllText(Path.Combine(Paths.RepoRoot, "docs", "cmdlets", "Get-SleapVideo.md"));
        foreach (var parameter in new[] { "### -Path", "### -LiteralPath", "### -Labels" })
            Assert.Contains(parameter, help);
        Assert.Contains("external help file: SleapPS.dll-Help.xml", help);
    }

    public void Dispose() => _host.Dispose();
}
