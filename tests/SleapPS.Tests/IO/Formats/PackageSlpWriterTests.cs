using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Package;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO.Formats;

/// <summary>
/// A package (.pkg.slp) we write holds the same labels as its source and the source video's frames, pixel for
/// pixel, for the frames chosen; our reader, h5py and sleap-io.js all read it so.
/// </summary>
public class PackageSlpWriterTests
{
    /// <summary>The first frames of the centered pair predictions (their video is a fixture) plus two suggestions.</summary>
    private static Labels CenteredPairHead(int frames)
    {
        var labels = LabelsReader.Read(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
        labels.LabeledFrames.RemoveRange(frames, labels.LabeledFrames.Count - frames);
        labels.Suggestions.Add(new SuggestionFrame(labels.Videos[0], 500));
        labels.Suggestions.Add(new SuggestionFrame(labels.Videos[0], 1));
        return labels;
    }

    [Fact]
    public void Package_holds_the_labels_and_each_chosen_frame_as_the_video_gives_it()
    {
        var labels = CenteredPairHead(3);
        Assert.True(labels.Videos[0].IsAvailable);
        using var dir = new TempDir();
        string path = dir.File("pair.pkg.slp");

        PackageSlpWriter.Write(labels, path, EmbeddedFrames.All);

        var read = LabelsReader.Read(path);
        var video = Assert.Single(read.Videos);
        // The stored "." (the package itself) is read as the package's path.
        Assert.Equal((path, VideoBackend.Hdf5, "video0/video"), (video.Filename, video.Backend, video.Dataset));
        // The source video is stored as the package finds it, as Export-SleapLabels stores paths.
        Assert.Equal(VideoPathResolver.PathToStore(labels.Videos[0], path), video.SourceVideo!.Filename);
        CanonicalLabels.AssertSame(CanonicalLabels.From(labels), CanonicalLabels.From(read), "$", "videos");

        // Labelled frames 0, 1, 2 and suggestions 1 and 500, once each, ascending.
        using var original = FrameSources.Open(labels.Videos[0]);
        using var embedded = FrameSources.Open(video);
        Assert.Equal([0L, 1, 2, 500], video.EmbeddedFrameNumbers!);
        foreach (long frame in video.EmbeddedFrameNumbers!)
            Assert.Equal(original.ReadFrame(frame), embedded.ReadFrame(frame));
    }

    [Fact]
    public void H5py_sees_SLEAPs_layout_of_embedded_frames()
    {
        var labels = CenteredPairHead(2);
        using var dir = new TempDir();
        string path = dir.File("pair.pkg.slp");
        PackageSlpWriter.Write(labels, path, EmbeddedFrames.Labeled);

        var seen = H5py.Evaluate(path, """
            v = f['video0/video']
            print(json.dumps({
              'dtype': str(v.dtype), 'rank': len(v.shape), 'rows': v.shape[0],
              'attrs': {k: (v.attrs[k].decode() if isinstance(v.attrs[k], bytes) else (v.attrs[k] if isinstance(v.attrs[k], str) else int(v.attrs[k]))) for k in v.attrs},
              'png': bytes(v[0][:8].astype('uint8')).hex(),
              'frame_numbers': f['video0/frame_numbers'][:].tolist(),
              'source': json.loads(f['video0/source_video'].attrs['json'])['backend']['filename'],
              'video_json': json.loads(f['videos_json'][0])}))
            """);
        Assert.Equal("int8", seen["dtype"]!.GetValue<string>());
        Assert.Equal(2, seen["rank"]!.GetValue<int>());
        Assert.Equal(2, seen["rows"]!.GetValue<int>());
        Assert.Equal("""{"channels":1,"format":"png","height":384,"width":384}""", H5py.Text(seen["attrs"]));
        Assert.Equal("89504e470d0a1a0a", seen["png"]!.GetValue<string>());
        Assert.Equal("[0,1]", H5py.Text(seen["frame_numbers"]));
        Assert.Equal(VideoPathResolver.PathToStore(labels.Videos[0], path), seen["source"]!.GetValue<string>());
        Assert.Equal("""{"backend":{"filename":".","dataset":"video0/video","input_format":"channels_last","convert_range":false}}""", H5py.Text(seen["video_json"]));
    }

    [Fact]
    public void Sleap_io_js_reads_the_package_with_the_same_points()
    {
        var labels = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));
        using var dir = new TempDir();
        string path = dir.File("minimal.pkg.slp");
        PackageSlpWriter.Write(labels, path, EmbeddedFrames.User);

        var theirs = SleapIoJs.LoadSlp(path);
        CanonicalLabels.AssertSame(CanonicalLabels.From(labels), theirs, "$", "videos", "provenance");
        var video = LabelsReader.Read(path).Videos[0];
        using (FrameSources.Open(video))
            Assert.Equal(labels.LabeledFrames.Select(f => f.FrameIndex), video.EmbeddedFrameNumbers!);
    }

    [Fact]
    public void A_package_of_a_package_keeps_the_original_video_and_the_pixels()
    {
        var labels = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));
        using var dir = new TempDir();
        string first = dir.File("first.pkg.slp"), second = dir.File("second.pkg.slp");
        PackageSlpWriter.Write(labels, first, EmbeddedFrames.User);
        var firstRead = LabelsReader.Read(first);

        PackageSlpWriter.Write(firstRead, second, EmbeddedFrames.User);

        var secondRead = LabelsReader.Read(second);
        Assert.Equal(firstRead.Videos[0].SourceVideo!.Filename, secondRead.Videos[0].SourceVideo!.Filename);
        long frame = labels.LabeledFrames[0].FrameIndex;
        using var original = FrameSources.Open(labels.Videos[0]);
        using var repacked = FrameSources.Open(secondRead.Videos[0]);
        Assert.Equal(original.ReadFrame(frame), repacked.ReadFrame(frame));
    }

    [Fact]
    public void A_missing_video_is_named_and_no_file_is_left()
    {
        var labels = CenteredPairHead(1);
        labels.Videos[0].ResolvedPath = null;
        using var dir = new TempDir();
        string path = dir.File("pair.pkg.slp");

        var error = Assert.Throws<SleapException>(() => PackageSlpWriter.Write(labels, path, EmbeddedFrames.Labeled));

        Assert.Equal(SleapErrorKind.NotFound, error.Kind);
        Assert.Contains("centered_pair_low_quality.mp4", error.Message);
        Assert.Empty(dir.Entries);
    }
}
