using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Cmdlets;

/// <summary>
/// SizeMatcher's target (docs/design/inference.md §3.2) as SLEAP's data provider sets it: the largest video of a labels file for its
/// labelled frames, and a video's own size when it is predicted on its own. The bottom-up fixture model's config asks for
/// SizeMatcher without naming a target.
/// </summary>
public sealed class InvokeSleapPredictSizeMatchTests : IDisposable
{
    private static readonly string BottomUp = ModelFolders.Path(ModelFolders.BottomUp);

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();
    private readonly ITestOutputHelper _output;
    private readonly string _smallFolder, _fullFolder, _labelsPath;

    /// <summary>A labels file of two one-image videos: frame 0 of centered_pair_low_quality as SLEAP decoded it (384x384) and a 192x192 copy.</summary>
    public InvokeSleapPredictSizeMatchTests(ITestOutputHelper output)
    {
        _output = output;
        string png = Paths.Fixture("decoded", "centered_pair_low_quality.0000.png");
        _fullFolder = Directory.CreateDirectory(_dir.File("full")).FullName;
        _smallFolder = Directory.CreateDirectory(_dir.File("small")).FullName;
        File.Copy(png, Path.Combine(_fullFolder, "frame.png"));
        using (var full = OpenCvSharp.Cv2.ImRead(png, OpenCvSharp.ImreadModes.Grayscale))
        using (var half = new OpenCvSharp.Mat())
        {
            OpenCvSharp.Cv2.Resize(full, half, new OpenCvSharp.Size(192, 192), 0, 0, OpenCvSharp.InterpolationFlags.Area);
            OpenCvSharp.Cv2.ImWrite(Path.Combine(_smallFolder, "frame.png"), half);
        }
        var labels = new Labels();
        foreach (string folder in new[] { _smallFolder, _fullFolder })
        {
            var video = FrameSources.DescribeFile(folder);
            labels.Videos.Add(video);
            labels.LabeledFrames.Add(new LabeledFrame(video, 0));
        }
        _labelsPath = _dir.File("two-sizes.slp");
        SlpWriter.Write(labels, _labelsPath);
    }

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    private List<LabeledFrame> Predict(string arguments)
    {
        var result = _host.Run($"Import-SleapModel '{BottomUp}' -CacheFolder '{_dir.File("cache")}' | Invoke-SleapPredict {arguments}");
        Assert.Empty(result.Errors);
        // Videos come back one Labels each (in order); a labels file comes back as one Labels.
        return result.Output.Select(o => o.BaseObject).OfType<Labels>().SelectMany(l => l.LabeledFrames).ToList();
    }

    private static string Points(LabeledFrame frame) =>
        string.Join(" ", frame.Instances.SelectMany(i => i.Points).Select(p => $"{p.X:0.####},{p.Y:0.####}"));

    [Fact]
    public void Labelled_frames_are_sized_to_the_largest_video_of_the_labels_file()
    {
        var frames = Predict($"-Labels '{_labelsPath}'");
        var (small, full) = (frames.Single(f => f.Video.Filename.Contains("small")), frames.Single(f => f.Video.Filename.Contains("full")));

        // The 192x192 frame is resized to 384x384 (factor 2) and its points halved: they land on the full frame's halved.
        Assert.Equal(2, small.Instances.Count);
        Assert.Equal(2, full.Instances.Count);
        double deviation = new[] { new[] { 0, 1 }, new[] { 1, 0 } }.Min(order => Enumerable.Range(0, 2).Max(i =>
            small.Instances[i].Points.Zip(full.Instances[order[i]].Points)
                .Max(pair => Math.Max(Math.Abs(pair.First.X - pair.Second.X / 2), Math.Abs(pair.First.Y - pair.Second.Y / 2)))));
        _output.WriteLine($"size-matched 192x192 frame vs the 384x384 frame's points halved: largest deviation {deviation:0.###} px");
        Assert.InRange(deviation, 0, 1.5);
    }

    [Fact]
    public void A_video_predicted_on_its_own_keeps_its_size_as_in_SLEAP()
    {
        var alone = Predict($"-Video '{_smallFolder}'").Single();
        var withTheLargerVideo = Predict($"-Video '{_smallFolder}', '{_fullFolder}'").First();
        var byVideoIndex = Predict($"-Labels '{_labelsPath}' -Frames 0").First();
        var sizeMatched = Predict($"-Labels '{_labelsPath}'").First();

        Assert.Equal(Points(alone), Points(withTheLargerVideo));
        Assert.Equal(Points(alone), Points(byVideoIndex));
        Assert.NotEqual(Points(alone), Points(sizeMatched));
    }
}
