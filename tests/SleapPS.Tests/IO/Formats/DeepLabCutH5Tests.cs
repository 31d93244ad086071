using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Dlc;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO.Formats;

/// <summary>
/// DeepLabCut .h5 tables (docs/design/file-formats.md §13.2) written by pandas as DLC writes them (to_hdf: table
/// format for predictions, fixed format for labelled data) and read by our reader with exactly pandas' values;
/// pickles naming a callable and tables without DLC's column levels refused with the attribute named; our .h5 (pandas'
/// fixed format) read by pandas with the values of our CSV. Needs python3-pandas and python3-tables (tests/python/dlc_h5.py).
/// </summary>
public class DeepLabCutH5Tests
{
    [Theory]
    [InlineData("single_predictions")]
    [InlineData("multi_predictions")]
    [InlineData("single_labels")]
    [InlineData("multi_labels")]
    [InlineData("fixed_single_labels")]
    [InlineData("fixed_multi_labels")]
    public void A_table_pandas_wrote_is_read_with_the_same_points(string name)
    {
        using var dir = new TempDir();
        var tables = JsonNode.Parse(H5py.Run("dlc_h5.py", "write", dir.FullName))!;

        var labels = LabelsReader.Read(dir.File(name + ".h5"));

        AssertSameTable(tables[name]!, labels);
    }

    [Fact]
    public void A_pickle_naming_a_callable_is_refused_and_never_run()
    {
        using var dir = new TempDir();
        string path = JsonNode.Parse(H5py.Run("dlc_h5.py", "bad", dir.FullName))!["callable"]!.GetValue<string>();

        var error = Assert.Throws<SleapException>(() => LabelsReader.Read(path));

        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot read '{path}' as a DeepLabCut .h5 table: its attribute 'non_index_axes' cannot be read: its pickle names the Python callable 'os.system', " +
            "but it should hold only plain values (lists, tuples, strings, numbers); SleapPS never runs code from a data file, so it refuses it.", error.Message);
    }

    [Fact]
    public void A_pandas_table_without_DeepLabCuts_column_levels_is_refused_naming_its_levels()
    {
        using var dir = new TempDir();
        string path = JsonNode.Parse(H5py.Run("dlc_h5.py", "bad", dir.FullName))!["flat"]!.GetValue<string>();

        var error = Assert.Throws<SleapException>(() => LabelsReader.Read(path));

        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot read '{path}' as a DeepLabCut .h5 table: its column levels are (None), not DeepLabCut's (scorer, [individuals,] bodyparts, coords).", error.Message);
    }

    [Theory]
    [InlineData("tracks/clip.slp", "CollectedData_SleapPS.h5")] // tracked user labels: multi-animal labelled data
    [InlineData("hdf5_format_v1/centered_pair_predictions.slp", "centered_pair_low_qualityDLC_SleapPS.h5")] // tracked predictions
    [InlineData("slp_hdf5/minimal_instance.slp", "CollectedData_SleapPS.h5")] // untracked user labels, two per frame
    public void Pandas_reads_our_h5_with_the_points_of_our_csv_and_we_read_it_back_the_same(string fixture, string name)
    {
        var labels = LabelsReader.Read(Paths.Fixture(fixture.Split('/')));
        using var dir = new TempDir();
        string h5 = dir.File(name), csv = dir.File(Path.ChangeExtension(name, ".csv"));

        DlcH5Writer.Write(labels, h5);
        DlcCsvWriter.Write(labels, csv);

        var pandas = JsonNode.Parse(H5py.Run("dlc_h5.py", "read", h5))!;
        Assert.Equal(["scorer", .. labels.Tracks.Count > 0 || fixture.Contains("minimal") ? new[] { "individuals" } : [], "bodyparts", "coords"],
            pandas["levels"]!.AsArray().Select(l => l!.GetValue<string>()));
        AssertSameTable(pandas, LabelsReader.Read(csv)); // pandas' view of our .h5 is our CSV, cell for cell
        AssertSameTable(pandas, LabelsReader.Read(h5));  // and our reader reads our .h5 as pandas does
    }

    /// <summary>Every cell of pandas' table is the matching point of our labels (NaN where pandas has NaN), and nothing else is there.</summary>
    internal static void AssertSameTable(JsonNode table, Labels labels)
    {
        var levels = table["levels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        bool multiAnimal = levels.Contains("individuals");
        var columns = table["columns"]!.AsArray().Select(c => c!.AsArray().Select(p => p!.GetValue<string>()).ToArray()).ToList();
        var index = table["index"]!.AsArray().ToList();
        var values = table["values"]!.AsArray();
        bool predicted = columns.Any(c => c[^1] == "likelihood");
        var bodyparts = columns.Select(c => c[^2]).Distinct().ToList();
        Assert.Equal(bodyparts, labels.Skeleton!.NodeNames);
        if (multiAnimal) Assert.Equal(columns.Select(c => c[1]).Distinct(), labels.Tracks.Select(t => t.Name));

        int instancesExpected = 0;
        for (int r = 0; r < index.Count; r++)
        {
            long frame = index[r]!.GetValueKind() == System.Text.Json.JsonValueKind.Number
                ? index[r]!.GetValue<long>()
                : long.Parse(Path.GetFileNameWithoutExtension(index[r]!.GetValue<string>())[3..]);
            var row = values[r]!.AsArray();
            foreach (var individual in columns.Select(c => multiAnimal ? c[1] : "").Distinct())
            {
                double Cell(string bodypart, string coord)
                {
                    int c = columns.FindIndex(k => k[^2] == bodypart && k[^1] == coord && (!multiAnimal || k[1] == individual));
                    return row[c] is null ? double.NaN : row[c]!.GetValue<double>();
                }
                bool any = bodyparts.Any(b => !double.IsNaN(Cell(b, "x")));
                var instance = labels.LabeledFrames.Where(f => f.FrameIndex == frame).SelectMany(f => f.Instances)
                    .SingleOrDefault(i => (i.Track?.Name ?? "") == individual);
                if (!any) { Assert.Null(instance); continue; }
                instancesExpected++;
                Assert.NotNull(instance);
                Assert.Equal(predicted, instance.IsPredicted);
                for (int n = 0; n < bodyparts.Count; n++)
                {
                    Assert.Equal(Cell(bodyparts[n], "x"), instance.Points[n].X);
                    Assert.Equal(Cell(bodyparts[n], "y"), instance.Points[n].Y);
                    if (predicted) Assert.Equal(Cell(bodyparts[n], "likelihood"), instance.Points[n].Score);
                }
            }
        }
        Assert.Equal(instancesExpected, labels.AllInstances.Count());
    }
}
