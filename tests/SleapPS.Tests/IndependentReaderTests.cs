using System.Text.Json.Nodes;
using SleapPS.Tests.Support;

namespace SleapPS.Tests;

/// <summary>
/// The independent readers (sleap-io.js in node, h5py in python) load SLEAP's own fixtures with the
/// counts and values SLEAP documents, so a mismatch on a file we write is our writer's fault, not the harness's.
/// </summary>
public class IndependentReaderTests
{
    private static int Int(JsonNode? node) => node!.GetValue<int>();
    private static double Double(JsonNode? node) => node!.GetValue<double>();
    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Fact]
    public void SleapIoJs_loads_the_centered_pair_predictions()
    {
        var labels = SleapIoJs.LoadSlp(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));

        Assert.Equal("loadSlp", labels["reader"]!.GetValue<string>());
        Assert.Equal(1100, Int(labels["counts"]!["labeled_frames"]));
        Assert.Equal(2274, Int(labels["counts"]!["predicted_instances"]));
        Assert.Equal(0, Int(labels["counts"]!["user_instances"]));
        Assert.Equal(Enumerable.Range(1, 27).Select(i => i.ToString()), Strings(labels["tracks"]));
        var skeleton = Assert.Single(labels["skeletons"]!.AsArray())!;
        Assert.Equal(24, skeleton["nodes"]!.AsArray().Count);
        Assert.Equal(["neck", "head"], Strings(skeleton["edges"]![0]));
        Assert.Equal("tests/data/json_format_v1/centered_pair_low_quality.mp4", labels["videos"]![0]!["filename"]!.GetValue<string>());

        var first = labels["labeled_frames"]![0]!;
        Assert.Equal(0, Int(first["frame_idx"]));
        var instance = first["instances"]![0]!;
        Assert.Equal("predicted", instance["type"]!.GetValue<string>());
        Assert.Equal("1", instance["track"]!.GetValue<string>());
        Assert.Equal(39.072227478027344, Double(instance["score"]));
        var point = instance["points"]![0]!;
        Assert.Equal(201, Double(point[0]));
        Assert.Equal(186, Double(point[1]));
        Assert.True(point[2]!.GetValue<bool>());
        Assert.Equal(0.8258838057518005, Double(point[3]));
    }

    [Fact]
    public void SleapIoJs_loads_the_tracked_clip_with_user_instances()
    {
        var labels = SleapIoJs.LoadSlp(Paths.Fixture("tracks", "clip.slp"));

        Assert.Equal(1500, Int(labels["counts"]!["labeled_frames"]));
        Assert.Equal(3000, Int(labels["counts"]!["user_instances"]));
        Assert.Equal(["female", "male"], Strings(labels["tracks"]));
        Assert.Equal(13, labels["skeletons"]![0]!["nodes"]!.AsArray().Count);
        var instance = labels["labeled_frames"]![0]!["instances"]![0]!;
        Assert.Equal("user", instance["type"]!.GetValue<string>());
        Assert.Equal("male", instance["track"]!.GetValue<string>());
        Assert.Null(instance["score"]);
        Assert.Equal(335.25, Double(instance["points"]![0]![0]));
        // A missing point is NaN in the file and null in the document.
        Assert.Null(labels["labeled_frames"]![0]!["instances"]![1]!["points"]![7]![0]);
    }

    [Fact]
    public void SleapIoJs_loads_the_minimal_instance_labels()
    {
        var labels = SleapIoJs.LoadSlp(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));

        var frame = Assert.Single(labels["labeled_frames"]!.AsArray())!;
        Assert.Equal(2, frame["instances"]!.AsArray().Count);
        var skeleton = labels["skeletons"]![0]!;
        Assert.Equal(["A", "B"], Strings(skeleton["nodes"]));
        Assert.Equal(["A", "B"], Strings(skeleton["edges"]![0]));
        Assert.Empty(labels["tracks"]!.AsArray());
        var point = frame["instances"]![0]!["points"]![0]!;
        Assert.Equal(92.65220773208894, Double(point[0]));
        Assert.Equal(202.7259777426982, Double(point[1]));
    }

    [Fact]
    public void SleapIoJs_loads_SLEAPs_analysis_export()
    {
        var labels = SleapIoJs.LoadAnalysisH5(Paths.Fixture("hdf5_format_v1", "small_robot.000_small_robot_3_frame.analysis.h5"));

        Assert.Equal("loadAnalysisH5", labels["reader"]!.GetValue<string>());
        Assert.Equal(3, Int(labels["counts"]!["labeled_frames"]));
        Assert.Equal(3, Int(labels["counts"]!["predicted_instances"]));
        Assert.Equal(["top", "front", "rear"], Strings(labels["skeletons"]![0]!["nodes"]));
        var instance = labels["labeled_frames"]![1]!["instances"]![0]!;
        Assert.Equal(1, Int(labels["labeled_frames"]![1]!["frame_idx"]));
        Assert.Equal(2.8002986907958984, Double(instance["score"]));
        var point = instance["points"]![0]!;
        Assert.Equal(320.9737548828125, Double(point[0]));
        Assert.Equal(59.2464714050293, Double(point[1]));
        Assert.Equal(0.7486890554428101, Double(point[3]));
    }

    [Fact]
    public void SleapIoJs_failure_fails_the_test_with_nodes_stderr()
    {
        var missing = Path.Combine(Paths.Fixtures, "no-such-file.slp");

        var error = Assert.Throws<Xunit.Sdk.XunitException>(() => SleapIoJs.LoadSlp(missing));

        Assert.Contains("exited with code 1", error.Message);
        Assert.Contains("No such file: " + missing, error.Message);
    }

    [Fact]
    public void H5py_sees_the_same_instance_count_as_sleap_io_js()
    {
        var path = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");

        var shape = JsonNode.Parse(H5py.Run("h5_shape", path, "instances"))!.AsArray();

        Assert.Equal(2274, Int(shape[0]));
        Assert.Equal(Int(SleapIoJs.LoadSlp(path)["counts"]!["predicted_instances"]), Int(shape[0]));
    }

    [Fact]
    public void H5py_failure_fails_the_test_with_pythons_stderr()
    {
        var error = Assert.Throws<Xunit.Sdk.XunitException>(
            () => H5py.Run("h5_shape", Paths.Fixture("slp_hdf5", "minimal_instance.slp"), "no_such_dataset"));

        Assert.Contains("no_such_dataset", error.Message);
    }
}
