using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Dlc;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO.Formats;

/// <summary>
/// DeepLabCut CSV tables we write (labelled data for user labels, predictions with likelihoods) read back through our
/// reader with the same points, and labelled data through sleap-io.js's loadDlc; broken or unreadable tables are named.
/// </summary>
public class DeepLabCutTests
{
    /// <summary>The instances of one video keyed by (frame, track name or position), points as DLC keeps them.</summary>
    private static Dictionary<(long Frame, string Slot), Instance> ByFrameAndSlot(Labels labels, bool untrackedByPosition = false) =>
        labels.LabeledFrames
            .SelectMany(f => f.Instances.Select((i, k) => (f.FrameIndex, Slot: i.Track?.Name ?? (untrackedByPosition ? $"individual{k + 1}" : ""), Instance: i)))
            .ToDictionary(x => (x.FrameIndex, x.Slot), x => x.Instance);

    private static void AssertSamePoints(Instance expected, Instance actual, bool withScores)
    {
        Assert.Equal(expected.Points.Length, actual.Points.Length);
        for (int n = 0; n < expected.Points.Length; n++)
        {
            var (e, a) = (expected.Points[n], actual.Points[n]);
            // DLC has no visibility: a point SLEAP marks not visible is written as missing.
            Assert.Equal(e.IsPresent ? (e.X, e.Y) : (double.NaN, double.NaN), (a.X, a.Y));
            if (withScores) Assert.Equal(e.Score, a.Score);
        }
    }

    [Fact]
    public void Tracked_user_labels_are_DLCs_multi_animal_labelled_data_and_read_back_unchanged()
    {
        var labels = LabelsReader.Read(Paths.Fixture("tracks", "clip.slp"));
        using var dir = new TempDir();
        string path = dir.File("CollectedData_SleapPS.csv");

        DlcCsvWriter.Write(labels, path);

        string[] lines = File.ReadLines(path).Take(5).ToArray();
        Assert.StartsWith("scorer,SleapPS,SleapPS,", lines[0]);
        Assert.StartsWith("individuals,female,female,female,female,", lines[1]);
        Assert.StartsWith($"bodyparts,{labels.Skeleton!.NodeNames[0]},{labels.Skeleton.NodeNames[0]},{labels.Skeleton.NodeNames[1]},", lines[2]);
        Assert.StartsWith("coords,x,y,x,y,", lines[3]);
        Assert.StartsWith("labeled-data/clip/img0000.png,", lines[4]); // 1500 frames: four digits, as DLC pads them

        var read = LabelsReader.Read(path);
        Assert.Equal(["female", "male"], read.Tracks.Select(t => t.Name));
        Assert.Equal(labels.Skeleton.NodeNames, read.Skeleton!.NodeNames);
        Assert.All(read.AllInstances, i => Assert.False(i.IsPredicted));
        var ours = ByFrameAndSlot(labels);
        var theirs = ByFrameAndSlot(read);
        Assert.Equal(ours.Keys.Order(), theirs.Keys.Order());
        foreach (var (key, instance) in ours) AssertSamePoints(instance, theirs[key], withScores: false);
    }

    [Fact]
    public void Tracked_predictions_are_a_predictions_table_with_likelihoods_and_read_back_unchanged()
    {
        var labels = LabelsReader.Read(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
        using var dir = new TempDir();
        string path = dir.File("centered_pair_low_qualityDLC_SleapPS.csv");

        DlcCsvWriter.Write(labels, path);

        string[] lines = File.ReadLines(path).ToArray();
        Assert.StartsWith("coords,x,y,likelihood,x,y,likelihood,", lines[3]);
        Assert.Equal(4 + 1100, lines.Length); // every frame from 0 to the last, as DeepLabCut writes them
        Assert.StartsWith("0,", lines[4]);

        var read = LabelsReader.Read(path);
        Assert.Equal("centered_pair_low_quality", read.Videos.Single().Filename); // named after the table, as DLC names it
        Assert.Equal(labels.Tracks.Select(t => t.Name), read.Tracks.Select(t => t.Name));
        var ours = ByFrameAndSlot(labels);
        var theirs = ByFrameAndSlot(read);
        Assert.Equal(ours.Keys.Order(), theirs.Keys.Order());
        foreach (var (key, instance) in ours) AssertSamePoints(instance, theirs[key], withScores: true);
    }

    [Fact]
    public void One_untracked_animal_is_DLCs_single_animal_table()
    {
        var labels = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));
        labels.LabeledFrames[0].Instances.RemoveAt(1);
        var point = labels.LabeledFrames[0].Instances[0].Points;
        using var dir = new TempDir();
        string path = dir.File("single.csv");

        DlcCsvWriter.Write(labels, path);

        Assert.Equal(
            ["scorer,SleapPS,SleapPS,SleapPS,SleapPS", "bodyparts,A,A,B,B", "coords,x,y,x,y",
             $"labeled-data/centered_pair_low_quality/img{labels.LabeledFrames[0].FrameIndex:0000}.png,{PythonFloat(point[0].X)},{PythonFloat(point[0].Y)},{PythonFloat(point[1].X)},{PythonFloat(point[1].Y)}"],
            File.ReadAllLines(path));
        var read = LabelsReader.Read(path);
        Assert.Empty(read.Tracks);
        AssertSamePoints(labels.LabeledFrames[0].Instances[0], read.LabeledFrames.Single().Instances.Single(), withScores: false);
    }

    private static string PythonFloat(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Sleap_io_js_reads_our_labelled_data_with_the_same_points()
    {
        var labels = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));
        using var dir = new TempDir();
        string path = dir.File("CollectedData_SleapPS.csv");
        DlcCsvWriter.Write(labels, path);
        // loadDlc keeps a row only when its image is there; DLC keeps the images beside the table.
        foreach (var line in File.ReadLines(path).Skip(4))
            File.WriteAllBytes(dir.File(Path.GetFileName(line[..line.IndexOf(',')])), []);

        var theirs = SleapIoJs.Dump("dump-dlc.mjs", path);

        var nodes = theirs["skeletons"]![0]!["nodes"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(labels.Skeleton!.NodeNames.Order(StringComparer.Ordinal), nodes); // sleap-io.js sorts bodyparts by name
        Assert.Equal(["individual1", "individual2"], theirs["tracks"]!.AsArray().Select(t => t!.GetValue<string>()));
        var frame = theirs["labeled_frames"]!.AsArray().Single()!;
        var instances = frame["instances"]!.AsArray();
        Assert.Equal(2, instances.Count);
        for (int i = 0; i < 2; i++)
        {
            var ours = labels.LabeledFrames[0].Instances[i];
            for (int n = 0; n < nodes.Count; n++)
            {
                var point = ours.Points[labels.Skeleton.IndexOf(nodes[n])];
                Assert.Equal(point.X, instances[i]!["points"]![n]![0]!.GetValue<double>());
                Assert.Equal(point.Y, instances[i]!["points"]![n]![1]!.GetValue<double>());
            }
        }
    }

    [Fact]
    public void A_table_without_the_coords_row_is_refused_naming_the_row()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.csv");
        File.WriteAllText(path, "scorer,me,me\nbodyparts,nose,nose\nframe,x,y\n0,1,2\n");

        var error = Assert.Throws<SleapException>(() => LabelsReader.Read(path));

        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot read '{path}' as a DeepLabCut table: its header rows are not scorer, bodyparts, coords (row 2 starts with 'bodyparts').", error.Message);
    }
}
