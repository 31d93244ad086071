using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;
using SleapPS.Engine.Editing.Merging;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Editing.EditingFixtures;

namespace SleapPS.Tests.Editing;

/// <summary>Splits (docs/design/labels-operations.md §3): the fraction draw recomputed in Python from its documented rule; split then merge gives the source.</summary>
public class LabelsSplitTests
{
    [Fact]
    public void A_seeded_fraction_split_draws_the_frames_the_documented_hash_gives()
    {
        var labels = ReadPredictions();
        var parts = LabelsSplit.ByFractions(labels, [0.8, 0.1, 0.1], seed: 42);

        var expected = JsonNode.Parse(H5py.Run("split_hash_expected.py", Predictions, "42", "0.8", "0.1", "0.1"))!.AsArray();
        Assert.Equal(["train", "val", "test"], parts.Select(p => p.Name));
        Assert.Equal([880, 110, 110], parts.Select(p => p.Labels.LabeledFrames.Count));
        for (int k = 0; k < 3; k++)
            Assert.Equal(expected[k]!.AsArray().Select(p => p![1]!.GetValue<long>()), parts[k].Labels.LabeledFrames.Select(f => f.FrameIndex));
        // Another seed draws other frames.
        var other = LabelsSplit.ByFractions(labels, [0.8, 0.1, 0.1], seed: 43);
        Assert.NotEqual(parts[1].Labels.LabeledFrames.Select(f => f.FrameIndex), other[1].Labels.LabeledFrames.Select(f => f.FrameIndex));
    }

    [Fact]
    public void Splitting_into_fractions_then_merging_gives_the_source_back()
    {
        var labels = ReadPredictions();
        var before = Snapshot(labels);
        var parts = LabelsSplit.ByFractions(labels, [0.8, 0.1, 0.1], seed: 7);

        var merged = LabelsMerge.Merge(parts.Select(p => p.Labels).ToList()).Labels;

        // Parts come back in part order; put the frames back in the source's order to compare.
        var position = labels.LabeledFrames.Select((f, i) => (f.FrameIndex, i)).ToDictionary(p => p.FrameIndex, p => p.i);
        var sorted = merged.LabeledFrames.OrderBy(f => position[f.FrameIndex]).ToList();
        merged.LabeledFrames.Clear();
        merged.LabeledFrames.AddRange(sorted);
        LabelsAssert.Equal(labels, merged);
        Assert.Equal(before, Snapshot(labels));
    }

    [Fact]
    public void A_split_by_video_gives_one_part_per_video_with_only_its_frames()
    {
        var labels = Small("/data/a.mp4", ["head"], (0, []), (1, []));
        var second = new Video("/data/b.mp4", VideoBackend.Media);
        labels.Videos.Add(second);
        labels.LabeledFrames.Add(new LabeledFrame(second, 7));
        var parts = LabelsSplit.ByVideo(labels);
        Assert.Equal(["a.mp4", "b.mp4"], parts.Select(p => p.Name));
        Assert.Equal([0L, 1L], parts[0].Labels.LabeledFrames.Select(f => f.FrameIndex));
        Assert.Equal("/data/b.mp4", Assert.Single(parts[1].Labels.Videos).Filename);
        Assert.Equal([7L], parts[1].Labels.LabeledFrames.Select(f => f.FrameIndex));
        LabelsAssert.Equal(labels, LabelsMerge.Merge([parts[0].Labels, parts[1].Labels]).Labels);
    }

    [Theory]
    [InlineData(new[] { 0.9, 0.2 }, "The fractions 0.9, 0.2 add up to 1.1, more than 1. Give fractions that add up to 1 or less.")]
    [InlineData(new[] { -0.1 }, "The fraction -0.1 is not between 0 and 1. Give fractions such as 0.8, 0.1, 0.1.")]
    [InlineData(new[] { 0.5, 0.2, 0.2, 0.1 }, "Give one to three fractions (train, val, test); 4 were given.")]
    public void Fractions_that_cannot_be_drawn_are_refused(double[] fractions, string message)
    {
        var error = Assert.Throws<SleapException>(() => LabelsSplit.ByFractions(Small("/a.mp4", ["head"]), fractions, 1));
        Assert.Equal(message, error.Message);
    }
}
