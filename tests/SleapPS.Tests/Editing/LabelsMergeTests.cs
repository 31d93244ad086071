using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Editing;
using SleapPS.Engine.Editing.Merging;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;
using static SleapPS.Tests.Editing.EditingFixtures;

namespace SleapPS.Tests.Editing;

/// <summary>Merging as sleap-io merges (docs/design/labels-operations.md §2), on the fixture and on frames built to test each rule.</summary>
public class LabelsMergeTests
{
    [Fact]
    public void Merging_the_two_halves_of_the_fixture_gives_the_whole_and_changes_neither_half()
    {
        var whole = ReadPredictions();
        var halves = LabelsSplit.ByFrames(whole, [FrameList.Parse("0-549"), FrameList.Parse("550-1099")]);
        Assert.Equal([550, 550], halves.Select(p => p.Labels.LabeledFrames.Count));
        var before = halves.Select(h => Snapshot(h.Labels)).ToList();

        var report = LabelsMerge.Merge([halves[0].Labels, halves[1].Labels]);

        LabelsAssert.Equal(whole, report.Labels);
        Assert.Equal((550, 0, 0, 1, 0, 27, 0), (report.FramesAdded, report.FramesMerged, report.InstancesAdded, report.VideosMatched, report.VideosAdded, report.TracksMatched, report.TracksAdded));
        Assert.Equal(before, halves.Select(h => Snapshot(h.Labels)));
    }

    [Fact]
    public void Merged_labels_written_as_slp_read_back_in_sleap_io_js_with_every_instance()
    {
        using var dir = new TempDir();
        var whole = ReadPredictions();
        var halves = LabelsSplit.ByFrames(whole, [FrameList.Parse("0-99"), FrameList.Parse("100-199")]);
        var merged = LabelsMerge.Merge([halves[0].Labels, halves[1].Labels]).Labels;
        string path = dir.File("merged.slp");
        SlpWriter.Write(merged, path);

        var read = SleapIoJs.LoadSlp(path);
        Assert.Equal(200, read["counts"]!["labeled_frames"]!.GetValue<int>());
        int expectedInstances = whole.LabeledFrames.Where(f => f.FrameIndex < 200).Sum(f => f.Instances.Count);
        Assert.Equal(expectedInstances, read["counts"]!["predicted_instances"]!.GetValue<int>());
        var frame150 = read["labeled_frames"]!.AsArray().Single(f => f!["frame_idx"]!.GetValue<int>() == 150)!;
        var source = whole.LabeledFrames.Single(f => f.FrameIndex == 150).Instances[0];
        var point = frame150["instances"]![0]!["points"]![0]!;
        Assert.Equal(source.Points[0].X, point[0]!.GetValue<double>(), 4);
        Assert.Equal(source.Points[0].Y, point[1]!.GetValue<double>(), 4);
        Assert.Equal(source.Track!.Name, frame150["instances"]![0]!["track"]!.GetValue<string>());
    }

    [Fact]
    public void On_a_shared_frame_user_instances_win_over_predictions_and_two_user_instances_of_one_animal_conflict()
    {
        string[] nodes = ["head", "tail"];
        var skeleton = Skeleton.FromNames("fly", nodes);
        var basePrediction = new PredictedInstance(skeleton, PredictedPoints((10, 10), (20, 20)), score: 0.5);
        var baseUser = new Instance(skeleton, Points((100, 100), (120, 120)));
        var baseUser2 = new Instance(skeleton, Points((300, 300), (320, 320)));
        var old = Small("/data/fly.mp4", nodes, (0, [basePrediction, baseUser, baseUser2]));

        // Incoming skeleton lists the nodes the other way round: points must land on the base skeleton's nodes.
        var reversed = Skeleton.FromNames("fly", ["tail", "head"]);
        var correction = new Instance(reversed, Points((21, 21), (11, 11)));                 // base prediction's animal, 1.4 px away
        var prediction = new PredictedInstance(reversed, PredictedPoints((122, 122), (102, 102)), score: 0.9);   // base user's animal
        var sameUser = new Instance(reversed, Points((320, 320), (300, 300)));                // base user 2's animal: a conflict
        var newAnimal = new PredictedInstance(reversed, PredictedPoints((520, 520), (500, 500)), score: 0.7);
        var incoming = Small("/other/place/fly.mp4", ["tail", "head"], (0, [correction, prediction, sameUser, newAnimal]), (5, [new Instance(reversed, Points((1, 2), (3, 4)))]));

        var report = LabelsMerge.Merge([old, incoming]);

        var merged = report.Labels;
        Assert.Single(merged.Videos);       // basename fly.mp4 is unique: the same video
        var frame = merged.LabeledFrames.Single(f => f.FrameIndex == 0);
        Assert.Equal(4, frame.Instances.Count);
        Assert.False(frame.Instances[0].IsPredicted);                                   // the correction replaced the prediction
        Assert.Equal((11.0, 11.0), (frame.Instances[0].Points[0].X, frame.Instances[0].Points[0].Y));   // head first, as in the base
        Assert.Equal((100.0, 100.0), (frame.Instances[1].Points[0].X, frame.Instances[1].Points[0].Y)); // the base user instance stayed
        Assert.Equal((300.0, 300.0), (frame.Instances[2].Points[0].X, frame.Instances[2].Points[0].Y));
        Assert.Equal((500.0, 500.0), (frame.Instances[3].Points[0].X, frame.Instances[3].Points[0].Y)); // the new animal was added
        Assert.Equal((1, 1, 1, 2, 1, 1), (report.FramesAdded, report.FramesMerged, report.InstancesAdded, report.InstancesSkipped, report.InstancesReplaced, report.Conflicts.Count));
        Assert.Equal(0, report.Conflicts[0].FrameIndex);
        Assert.Equal([0L, 5L], merged.LabeledFrames.Select(f => f.FrameIndex));
        Assert.Equal((3.0, 4.0), (merged.LabeledFrames[1].Instances[0].Points[0].X, merged.LabeledFrames[1].Instances[0].Points[0].Y));
        // The inputs are as they were.
        Assert.Equal(3, old.LabeledFrames[0].Instances.Count);
        Assert.Same(basePrediction, old.LabeledFrames[0].Instances[0]);
    }

    [Fact]
    public void Merging_labels_whose_skeletons_differ_names_the_nodes_that_differ()
    {
        var a = Small("/data/a.mp4", ["head", "thorax", "tail"], (0, []));
        var b = Small("/data/a.mp4", ["head", "abdomen", "tail", "wing"], (1, []));
        a.SourcePath = "/data/a.slp";
        b.SourcePath = "/data/b.slp";

        var error = Assert.Throws<SleapException>(() => LabelsMerge.Merge([a, b]));

        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("The skeleton 'fly' of 'b.slp' does not match the skeleton 'fly' of 'a.slp': nodes only in 'b.slp': abdomen, wing; " +
                     "nodes only in 'a.slp': thorax. Rename the nodes (Rename-SleapNode) so that both skeletons have the same node names, then merge.",
            error.Message);
    }

    [Fact]
    public void Videos_of_different_sizes_or_of_an_ambiguous_name_are_added_not_matched()
    {
        var a = Small("/data/exp1/fly.mp4", ["head"], (0, []));
        a.Videos.Add(new Video("/data/exp2/fly.mp4", VideoBackend.Media));
        var byParent = Small("D:\\remote\\exp2\\fly.mp4", ["head"], (0, []));
        var report = LabelsMerge.Merge([a, byParent]);
        Assert.Equal((1, 0), (report.VideosMatched, report.VideosAdded));
        Assert.Same(report.Labels.Videos[1], report.Labels.LabeledFrames[1].Video);   // exp2/fly.mp4: the parent folder told them apart

        a.Videos[0].FrameCount = 100;
        var otherSize = Small("/elsewhere/exp1/fly.mp4", ["head"], (0, []));
        otherSize.Videos[0].FrameCount = 50;
        otherSize.Videos.Add(new Video("/x/y/z.mp4", VideoBackend.Media));
        var sizes = LabelsMerge.Merge([a, otherSize]);
        Assert.Equal((0, 2), (sizes.VideosMatched, sizes.VideosAdded));
    }

    [Fact]
    public void Tracks_are_matched_by_name_and_new_ones_appended()
    {
        var skeleton = Skeleton.FromNames("fly", ["head"]);
        var a = Small("/v.mp4", ["head"], (0, [new Instance(skeleton, Points((1, 1)), new Track("female"))]));
        var b = Small("/v.mp4", ["head"], (1, [new Instance(skeleton, Points((2, 2)), new Track("female")), new Instance(skeleton, Points((50, 50)), new Track("male"))]));
        var merged = LabelsMerge.Merge([a, b]).Labels;
        Assert.Equal(["female", "male"], merged.Tracks.Select(t => t.Name));
        Assert.Same(merged.LabeledFrames[0].Instances[0].Track, merged.LabeledFrames[1].Instances[0].Track);
    }
}
