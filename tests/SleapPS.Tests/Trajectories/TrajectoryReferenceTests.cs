using System.Text.Json.Nodes;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.Trajectories;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Trajectories;

/// <summary>
/// The operations on SLEAP's tracked fixture, written to .slp and read back by h5py, against scipy and numpy
/// (tests/python/trajectory_reference.py), and by sleap-io.js with the same points.
/// </summary>
public class TrajectoryReferenceTests
{
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");

    [Theory]
    [InlineData("savgol", 7, 2)]
    [InlineData("savgol", 5, 3)]
    [InlineData("median", 5, 0)]
    public void Smoothing_the_fixture_gives_scipys_values(string filter, int window, int order)
    {
        using var temp = new TempDir();
        var method = filter == "savgol" ? SmoothingMethod.SavitzkyGolay : SmoothingMethod.Median;
        var result = TrajectoryCleaning.Smooth(LabelsReader.Read(Predictions), new SmoothingOptions(method, window, order));
        SlpWriter.Write(result.Labels, temp.File("smoothed.slp"));

        var reference = JsonNode.Parse(H5py.Run("trajectory_reference.py", Predictions, temp.File("smoothed.slp"), filter, window.ToString(), order.ToString()))!;

        Assert.Empty(reference["wrong"]!.AsArray());
        Assert.Equal(result.Changes.Sum(c => c.PointsAfter), reference["compared"]!.GetValue<int>());
        Assert.True(result.Changes.Sum(c => c.Smoothed) > 30000);
        Assert.True(reference["max_difference"]!.GetValue<double>() < 1e-9, $"largest difference from scipy: {reference["max_difference"]}");
    }

    [Fact]
    public void Filling_the_fixtures_gaps_gives_numpys_straight_lines_with_score_0_and_sleap_io_js_reads_them()
    {
        using var temp = new TempDir();
        var result = TrajectoryCleaning.FillGaps(LabelsReader.Read(Predictions), maxGap: 3);
        string path = temp.File("filled.slp");
        SlpWriter.Write(result.Labels, path);

        var reference = JsonNode.Parse(H5py.Run("trajectory_reference.py", Predictions, path, "interpolate", "3"))!;
        Assert.Empty(reference["wrong"]!.AsArray());
        Assert.Equal(result.Changes.Sum(c => c.PointsAfter), reference["compared"]!.GetValue<int>());
        Assert.True(reference["max_difference"]!.GetValue<double>() < 1e-9);
        Assert.Equal([0.0], reference["filled_scores"]!.AsArray().Select(n => n!.GetValue<double>()));
        int filled = result.Changes.Sum(c => c.Filled);
        Assert.True(filled > 100, $"{filled} points filled");

        // sleap-io.js opens the file and reads every instance with the same points.
        var read = SleapIoJs.LoadSlp(path);
        Assert.Equal(result.Labels.LabeledFrames.Count, read["counts"]!["labeled_frames"]!.GetValue<int>());
        Assert.Equal(result.Labels.InstanceCount, read["counts"]!["predicted_instances"]!.GetValue<int>());
        var ours = result.Labels.LabeledFrames.SelectMany(f => f.Instances.SelectMany(i => i.Points)).ToList();
        var theirs = read["labeled_frames"]!.AsArray().SelectMany(f => f!["instances"]!.AsArray().SelectMany(i => i!["points"]!.AsArray())).ToList();
        Assert.Equal(ours.Count, theirs.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            if (!ours[i].IsPresent)
            {
                Assert.Null(theirs[i]![0]);
                continue;
            }
            Assert.Equal(ours[i].X, theirs[i]![0]!.GetValue<double>());
            Assert.Equal(ours[i].Y, theirs[i]![1]!.GetValue<double>());
            Assert.Equal(ours[i].Score, theirs[i]![3]!.GetValue<double>());
        }

        // The file says what was done to it.
        var record = H5py.Evaluate(path, "print(json.dumps(json.loads(f['metadata'].attrs['json'])['provenance']['trajectory_cleaning']))").AsArray().Single()!;
        Assert.Equal("interpolate_over_time", record["operation"]!.GetValue<string>());
        Assert.Equal(3, record["max_gap"]!.GetValue<int>());
        Assert.Equal(filled, record["points_filled"]!.GetValue<int>());
    }
}
