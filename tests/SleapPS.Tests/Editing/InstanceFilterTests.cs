using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Filtering;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Editing.EditingFixtures;

namespace SleapPS.Tests.Editing;

/// <summary>
/// sleap-nn's instance filters (docs/design/labels-operations.md §7) keep, on every frame of the fixture, exactly the
/// instances tests/python/instance_filter_expected.py keeps: the rules written again with numpy on the file read by h5py.
/// </summary>
public class InstanceFilterTests
{
    [Theory]
    [InlineData(21, 0.0, OverlapMethod.None, 0.8)]
    [InlineData(0, 30.0, OverlapMethod.None, 0.8)]
    [InlineData(0, 0.0, OverlapMethod.Iou, 0.05)]
    [InlineData(0, 0.0, OverlapMethod.Oks, 0.0001)]
    [InlineData(18, 20.0, OverlapMethod.Iou, 0.1)]
    public void The_filters_keep_on_the_fixture_exactly_what_the_rules_keep(int minNodes, double minScore, OverlapMethod method, double threshold)
    {
        var labels = ReadPredictions();
        var positions = labels.LabeledFrames.Select(f => f.Instances.ToList()).ToList();
        var filter = new InstanceFilter(minNodes, minScore, method, threshold);
        foreach (var frame in labels.LabeledFrames) filter.Apply(frame.Instances);

        var expected = JsonNode.Parse(H5py.Run("instance_filter_expected.py", Predictions, $"{minNodes}", $"{minScore}", method.ToString().ToLowerInvariant(), $"{threshold}"))!.AsArray();
        Assert.Equal(labels.LabeledFrames.Count, expected.Count);
        int kept = 0;
        for (int f = 0; f < expected.Count; f++)
        {
            var frame = labels.LabeledFrames[f];
            Assert.Equal(expected[f]![0]!.GetValue<long>(), frame.FrameIndex);
            var ours = frame.Instances.Select(i => positions[f].IndexOf(i)).ToList();
            Assert.True(expected[f]![1]!.AsArray().Select(p => p!.GetValue<int>()).SequenceEqual(ours),
                $"frame {frame.FrameIndex}: expected [{string.Join(",", expected[f]![1]!.AsArray())}], kept [{string.Join(",", ours)}]");
            kept += ours.Count;
        }
        Assert.True(filter.Counts.Removed > 0, "the case removes nothing: it tests nothing");
        Assert.Equal(2274 - kept, filter.Counts.Removed);
    }

    [Fact]
    public void User_instances_are_never_removed()
    {
        var skeleton = Skeleton.FromNames("fly", ["head", "tail"]);
        var user = new Instance(skeleton, Points((0, 0), (double.NaN, double.NaN)));
        var lonely = new PredictedInstance(skeleton, PredictedPoints((0, 0), (double.NaN, double.NaN)), score: 0.1);
        var list = new List<Instance> { user, lonely };
        new InstanceFilter(minVisibleNodes: 2, minInstanceScore: 0.5).Apply(list);
        Assert.Equal([user], list);
    }

    [Theory]
    [InlineData("MinVisibleNodes", "The inference setting MinVisibleNodes is -1; it must be 0 or more.")]
    [InlineData("MinInstanceScore", "The inference setting MinInstanceScore is NaN; it must be a finite number of 0 or more.")]
    [InlineData("OverlapThreshold", "The inference setting OverlapThreshold is 1.5; it must be between 0 and 1.")]
    public void Settings_out_of_range_are_refused_as_they_are_set(string setting, string message)
    {
        Action set = setting switch
        {
            "MinVisibleNodes" => () => _ = new InferenceSettings { MinVisibleNodes = -1 },
            "MinInstanceScore" => () => _ = new InferenceSettings { MinInstanceScore = double.NaN },
            _ => () => _ = new InferenceSettings { OverlapThreshold = 1.5 },
        };
        Assert.Equal(message, Assert.Throws<SleapException>(set).Message);
    }

    [Fact]
    public void No_filter_is_made_for_default_settings()
    {
        Assert.Null(InstanceFilter.From(new InferenceSettings()));
        Assert.NotNull(InstanceFilter.From(new InferenceSettings { OverlapMethod = OverlapMethod.Oks }));
    }
}
