using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Nwb;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO.Formats;

/// <summary>
/// NWB (ndx-pose) files we write read back through our reader and through sleap-io.js's loadNwb with the same
/// points and scores, exactly (written as float64), and show h5py the NWB and ndx-pose layout.
/// </summary>
public class NwbTests
{
    private static Dictionary<(long Frame, string? Track), Instance> ByFrameAndTrack(Labels labels) =>
        labels.LabeledFrames.SelectMany(f => f.Instances.Select(i => (f.FrameIndex, i.Track?.Name, Instance: i)))
            .ToDictionary(x => (x.FrameIndex, x.Name), x => x.Instance);

    [Theory]
    [InlineData("hdf5_format_v1", "centered_pair_predictions.slp")] // predictions on 27 tracks
    [InlineData("tracks", "clip.slp")]                              // user labels on two tracks, with missing points
    public void Nwb_we_write_reads_back_with_the_same_points_and_scores(string folder, string file)
    {
        var labels = LabelsReader.Read(Paths.Fixture(folder, file));
        using var dir = new TempDir();
        string path = dir.File("pose.nwb");

        NwbWriter.Write(labels, path);
        var read = LabelsReader.Read(path); // found by content: an HDF5 file whose root says NWBFile

        Assert.Equal(labels.Skeleton!.NodeNames, read.Skeleton!.NodeNames);
        Assert.Equal(labels.Skeleton.EdgeIndices, read.Skeleton.EdgeIndices);
        Assert.Equal(VideoPathResolver.PathToStore(labels.Videos[0], path), read.Videos.Single().Filename);
        Assert.Equal(labels.Tracks.Select(t => t.Name).Order(), read.Tracks.Select(t => t.Name).Order());
        var ours = ByFrameAndTrack(labels);
        var theirs = ByFrameAndTrack(read);
        Assert.Equal(ours.Keys.Order(), theirs.Keys.Order());
        foreach (var (key, instance) in ours)
        {
            var other = (PredictedInstance)theirs[key];
            for (int n = 0; n < instance.Points.Length; n++)
            {
                var (e, a) = (instance.Points[n], other.Points[n]);
                Assert.Equal((e.X, e.Y), (a.X, a.Y));
                // Scores of points with coordinates are kept; a node without coordinates has no sample, so no score.
                if (!double.IsNaN(e.X)) Assert.Equal(e.Score, a.Score);
            }
        }
    }

    [Fact]
    public void Sleap_io_js_reads_the_same_points_and_confidences()
    {
        var labels = LabelsReader.Read(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
        using var dir = new TempDir();
        string path = dir.File("pose.nwb");
        NwbWriter.Write(labels, path);

        var theirs = SleapIoJs.Dump("dump-nwb.mjs", path);

        Assert.Equal(labels.Skeleton!.NodeNames, theirs["skeletons"]![0]!["nodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(labels.Skeleton.Edges.Count, theirs["skeletons"]![0]!["edges"]!.AsArray().Count);
        var ours = ByFrameAndTrack(labels);
        int compared = 0;
        foreach (var frame in theirs["labeled_frames"]!.AsArray())
        {
            long frameIndex = frame!["frame_idx"]!.GetValue<long>();
            foreach (var instance in frame["instances"]!.AsArray())
            {
                var mine = ours[(frameIndex, instance!["track"]!.GetValue<string>())];
                var points = instance["points"]!.AsArray();
                for (int n = 0; n < mine.Points.Length; n++)
                {
                    var p = mine.Points[n];
                    Assert.Equal(double.IsNaN(p.X) ? null : p.X, points[n]![0]?.GetValue<double>());
                    Assert.Equal(double.IsNaN(p.Y) ? null : p.Y, points[n]![1]?.GetValue<double>());
                    if (!double.IsNaN(p.X)) Assert.Equal(p.Score, points[n]![3]!.GetValue<double>());
                }
                compared++;
            }
        }
        Assert.Equal(ours.Count, compared);
    }

    [Fact]
    public void H5py_sees_an_NWB_file_with_ndx_pose_groups()
    {
        var labels = LabelsReader.Read(Paths.Fixture("tracks", "clip.slp"));
        using var dir = new TempDir();
        string path = dir.File("pose.nwb");
        NwbWriter.Write(labels, path);
        string node = labels.Skeleton!.NodeNames[0];

        var seen = H5py.Evaluate(path, $$"""
            s = lambda v: v.decode() if isinstance(v, bytes) else str(v)
            sk = f['processing/behavior/Skeletons']
            name = list(sk.keys())[0]
            series = f['processing/SLEAP_VIDEO_000_clip/track=female/{{node}}']
            print(json.dumps({
              'root': [s(f.attrs['neurodata_type']), s(f.attrs['nwb_version'])],
              'skeletons': s(sk.attrs['neurodata_type']),
              'edges': str(sk[name]['edges'].dtype),
              'pose': s(f['processing/SLEAP_VIDEO_000_clip/track=female'].attrs['neurodata_type']),
              'series': [s(series.attrs['neurodata_type']), s(series.attrs['namespace']), len(series['data'].shape), series['data'].shape[1], s(series['data'].attrs['unit'])],
              'required': [k in f for k in ['identifier', 'session_description', 'session_start_time', 'file_create_date', 'timestamps_reference_time']]}))
            """);
        Assert.Equal("""{"root":["NWBFile","2.8.0"],"skeletons":"Skeletons","edges":"uint8","pose":"PoseEstimation","series":["PoseEstimationSeries","ndx-pose",2,2,"pixels"],"required":[true,true,true,true,true]}""",
            H5py.Text(seen));
    }

    [Fact]
    public void Several_untracked_animals_on_a_frame_are_refused_with_the_way_out()
    {
        var labels = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));
        using var dir = new TempDir();
        string path = dir.File("pose.nwb");

        var error = Assert.Throws<SleapException>(() => NwbWriter.Write(labels, path));

        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal($"Cannot export '{path}': frame 0 of '{labels.Videos[0].Filename}' has several instances without a track, but an NWB PoseEstimation holds one animal per track and frame. Track the labels first (Start-SleapTracker), or remove the extra instances.", error.Message);
        Assert.Empty(dir.Entries);
    }
}
