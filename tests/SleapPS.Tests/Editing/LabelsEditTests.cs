using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Editing.EditingFixtures;

namespace SleapPS.Tests.Editing;

/// <summary>Subsets, renaming and video paths (docs/design/labels-operations.md §4-§6) on the fixture: counts from plain loops, inputs unchanged.</summary>
public class LabelsEditTests
{
    [Fact]
    public void Keeping_instances_by_a_predicate_keeps_exactly_those_and_leaves_the_input_alone()
    {
        var labels = ReadPredictions();
        var before = Snapshot(labels);
        Func<LabeledFrame, Instance, bool> keep = (_, i) => ((PredictedInstance)i).Score >= 30 && i.Track?.Name != "2";
        int expected = 0, emptied = 0;
        foreach (var frame in labels.LabeledFrames)
        {
            int kept = frame.Instances.Count(i => keep(frame, i));
            expected += kept;
            if (kept == 0) emptied++;
        }

        var (kept1, counts) = LabelsSubset.KeepInstances(labels, keep);
        var (kept2, _) = LabelsSubset.KeepInstances(labels, keep, dropEmptyFrames: true);

        Assert.Equal(expected, kept1.InstanceCount);
        Assert.Equal(1100, kept1.LabeledFrames.Count);
        Assert.Equal(1100 - emptied, kept2.LabeledFrames.Count);
        Assert.Equal(labels.InstanceCount - expected, counts.InstancesRemoved);
        Assert.All(kept1.AllInstances, i => Assert.True(((PredictedInstance)i).Score >= 30 && i.Track?.Name != "2"));
        Assert.Equal(before, Snapshot(labels));
    }

    [Fact]
    public void Removing_tracks_drops_their_instances_or_untracks_them()
    {
        var labels = ReadPredictions();
        int onTrack1 = labels.AllInstances.Count(i => i.Track?.Name == "1");
        var (removed, counts) = LabelsSubset.KeepTracks(labels, t => t.Name != "1");
        Assert.Equal(26, removed.Tracks.Count);
        Assert.Equal(labels.InstanceCount - onTrack1, removed.InstanceCount);
        Assert.Equal((onTrack1, 1), (counts.InstancesRemoved, counts.TracksRemoved));

        var (untracked, untrackCounts) = LabelsSubset.KeepTracks(labels, t => t.Name != "1", untrackInstances: true);
        Assert.Equal(labels.InstanceCount, untracked.InstanceCount);
        Assert.Equal(onTrack1, untracked.AllInstances.Count(i => i.Track is null) - labels.AllInstances.Count(i => i.Track is null));
        Assert.Equal(onTrack1, untrackCounts.InstancesUntracked);
        Assert.Equal(27, labels.Tracks.Count);
    }

    [Fact]
    public void Keeping_frames_in_place_edits_the_input_itself()
    {
        var labels = ReadPredictions();
        var (result, counts) = LabelsSubset.KeepFrames(labels, f => f.FrameIndex % 2 == 0, inPlace: true);
        Assert.Same(labels, result);
        Assert.Equal(550, labels.LabeledFrames.Count);
        Assert.Equal(550, counts.FramesRemoved);
    }

    [Fact]
    public void Renaming_nodes_keeps_every_point_and_a_missing_node_is_an_error_that_lists_the_nodes()
    {
        var labels = ReadPredictions();
        var before = Snapshot(labels);
        var renamed = LabelsRenaming.RenameNodes(labels, new Dictionary<string, string> { ["head"] = "Head", ["thorax"] = "Thorax" });
        Assert.Equal(labels.Skeleton!.NodeNames.Select(n => n switch { "head" => "Head", "thorax" => "Thorax", _ => n }), renamed.Skeleton!.NodeNames);
        Assert.Equal(labels.AllInstances.SelectMany(i => i.Points).Select(p => (p.X, p.Y)), renamed.AllInstances.SelectMany(i => i.Points).Select(p => (p.X, p.Y)));
        Assert.Equal(before, Snapshot(labels));

        var error = Assert.Throws<SleapException>(() => LabelsRenaming.RenameNodes(labels, new Dictionary<string, string> { ["nose"] = "snout" }));
        Assert.Equal($"No skeleton has a node named 'nose'. The skeleton '{labels.Skeleton!.Name}' has the nodes: {string.Join(", ", labels.Skeleton!.NodeNames)}.", error.Message);
        var duplicate = Assert.Throws<SleapException>(() => LabelsRenaming.RenameNodes(labels, new Dictionary<string, string> { ["head"] = "thorax" }));
        Assert.StartsWith($"Renaming would give skeleton '{labels.Skeleton!.Name}' two nodes named 'thorax'.", duplicate.Message);
    }

    [Fact]
    public void Renaming_two_tracks_to_one_name_joins_them()
    {
        var labels = ReadPredictions();
        int onBoth = labels.AllInstances.Count(i => i.Track?.Name is "1" or "2");
        var (renamed, joined) = LabelsRenaming.RenameTracks(labels, new Dictionary<string, string> { ["1"] = "female", ["2"] = "female" });
        Assert.Equal(1, joined);
        Assert.Equal(26, renamed.Tracks.Count);
        Assert.Equal(onBoth, renamed.AllInstances.Count(i => i.Track?.Name == "female"));
        Assert.Single(renamed.AllInstances.Where(i => i.Track?.Name == "female").Select(i => i.Track).Distinct());
        var error = Assert.Throws<SleapException>(() => LabelsRenaming.RenameTracks(labels, new Dictionary<string, string> { ["99"] = "x" }));
        Assert.Equal($"There is no track named '99'. The tracks are: {string.Join(", ", Enumerable.Range(1, 27))}.", error.Message);
    }

    [Fact]
    public void A_node_the_skeleton_lacks_in_a_predicate_is_an_error_that_lists_the_nodes()
    {
        var labels = ReadPredictions();
        var error = Assert.Throws<KeyNotFoundException>(() => LabelsSubset.KeepInstances(labels, (_, i) => i["nose"].Score > 0.5));
        Assert.Equal($"Skeleton '{labels.Skeleton!.Name}' has no node named 'nose'. Its nodes are: {string.Join(", ", labels.Skeleton!.NodeNames)}.", error.Message);
    }

    [Fact]
    public void Video_paths_are_replaced_by_a_folder_map_and_found_in_search_folders()
    {
        var labels = ReadPredictions();
        Assert.Equal("tests/data/json_format_v1/centered_pair_low_quality.mp4", labels.Videos[0].Filename);

        var (mapped, changes) = VideoPathReplacement.Replace(labels, new Dictionary<string, string> { ["tests/data"] = "/nowhere/data" }, null);
        Assert.Equal("/nowhere/data/json_format_v1/centered_pair_low_quality.mp4", mapped.Videos[0].Filename);
        // The stored path's trailing parts still lead, from the labels file's folders, to the fixture video: SLEAP's lookup finds it.
        Assert.True(Assert.Single(changes).Found);
        Assert.Equal(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), mapped.Videos[0].ResolvedPath);

        var (found, _) = VideoPathReplacement.Replace(mapped, null, [Paths.Fixture("json_format_v1")]);
        Assert.Equal(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), found.Videos[0].Filename);
        Assert.Equal(found.Videos[0].Filename, found.Videos[0].ResolvedPath);
        Assert.Equal("tests/data/json_format_v1/centered_pair_low_quality.mp4", labels.Videos[0].Filename);
        Assert.Equal("/nowhere/data/json_format_v1/centered_pair_low_quality.mp4", mapped.Videos[0].Filename);
    }
}
