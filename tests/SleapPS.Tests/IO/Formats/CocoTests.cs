using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Coco;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO.Formats;

/// <summary>
/// COCO keypoints JSON we write reads back through our reader unchanged, and through sleap-io.js's readCoco with
/// the same points; broken files are refused with the field at fault.
/// </summary>
public class CocoTests
{
    public static TheoryData<string> Fixtures() => new()
    {
        Path.Combine("slp_hdf5", "minimal_instance.slp"),      // user instances, no tracks
        Path.Combine("tracks", "clip.slp"),                    // user instances on two named tracks, missing points
        Path.Combine("hdf5_format_v1", "centered_pair_predictions.slp"), // predictions, 27 tracks
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Coco_we_write_reads_back_as_the_labels_we_wrote(string fixture)
    {
        var labels = LabelsReader.Read(Paths.Fixture(fixture));
        using var dir = new TempDir();
        string path = dir.File("labels.json");

        CocoWriter.Write(labels, path);
        var read = LabelsReader.Read(path); // found by content: a .json with COCO's three lists

        CanonicalLabels.AssertSame(CanonicalLabels.From(labels), CanonicalLabels.From(read), "$", "videos", "suggestions", "provenance");
        Assert.Equal(labels.Videos.Count, read.Videos.Count);
        Assert.Equal(labels.LabeledFrames.Select(f => (labels.Videos.IndexOf(f.Video), f.FrameIndex)),
            read.LabeledFrames.Select(f => (read.Videos.IndexOf(f.Video), f.FrameIndex)));
        Assert.Equal(labels.Videos[0].ResolvedPath, read.Videos[0].ResolvedPath);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Sleap_io_js_reads_the_same_points(string fixture)
    {
        var labels = LabelsReader.Read(Paths.Fixture(fixture));
        using var dir = new TempDir();
        string path = dir.File("labels.json");
        CocoWriter.Write(labels, path);

        var theirs = SleapIoJs.Dump("dump-coco.mjs", path);

        Assert.Equal(labels.Skeletons[0].NodeNames, theirs["skeletons"]![0]!["nodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(labels.Skeletons[0].Edges.Count, theirs["skeletons"]![0]!["edges"]!.AsArray().Count);
        var frames = theirs["labeled_frames"]!.AsArray();
        Assert.Equal(labels.LabeledFrames.Count, frames.Count);
        for (int f = 0; f < frames.Count; f++)
        {
            var ours = labels.LabeledFrames[f].Instances;
            var instances = frames[f]!["instances"]!.AsArray();
            Assert.Equal(ours.Count, instances.Count);
            for (int i = 0; i < ours.Count; i++)
            {
                // sleap-io.js names tracks by their COCO object id, which is the track's 1-based position.
                string? track = ours[i].Track is { } t ? $"track_{labels.Tracks.IndexOf(t) + 1}" : null;
                Assert.Equal(track, instances[i]!["track"]?.GetValue<string>());
                var points = instances[i]!["points"]!.AsArray();
                for (int n = 0; n < ours[i].Points.Length; n++)
                {
                    var p = ours[i].Points[n];
                    Assert.Equal(double.IsNaN(p.X) ? null : p.X, points[n]![0]?.GetValue<double>());
                    Assert.Equal(double.IsNaN(p.Y) ? null : p.Y, points[n]![1]?.GetValue<double>());
                }
            }
        }
    }

    [Fact]
    public void Categories_hold_keypoint_names_and_one_based_edges()
    {
        var labels = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));
        using var dir = new TempDir();
        string path = dir.File("labels.json");
        CocoWriter.Write(labels, path);

        var root = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("""[{"id":1,"name":"Skeleton-0","supercategory":"animal","keypoints":["A","B"],"skeleton":[[1,2]]}]""", root["categories"]!.ToJsonString());
        var annotation = root["annotations"]![0]!;
        var point = labels.LabeledFrames[0].Instances[0].Points[0];
        Assert.Equal(point.X, annotation["keypoints"]![0]!.GetValue<double>());
        Assert.Equal(2, annotation["keypoints"]![2]!.GetValue<int>());
        Assert.Equal(2, annotation["num_keypoints"]!.GetValue<int>());
    }

    [Fact]
    public void A_file_whose_keypoints_do_not_fit_the_category_names_the_annotation()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.json");
        File.WriteAllText(path, """
            {"images":[{"id":1,"file_name":"a.png","width":10,"height":10}],
             "annotations":[{"id":1,"image_id":1,"category_id":1,"keypoints":[1,2,2]}],
             "categories":[{"id":1,"name":"mouse","keypoints":["nose","tail"],"skeleton":[[1,2]]}]}
            """);

        var error = Assert.Throws<SleapException>(() => LabelsReader.Read(path));

        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot read '{path}' as COCO keypoints: annotations[0].keypoints holds 3 numbers, but its category 'mouse' has 2 keypoints, so it needs 6 (x, y, v for each).", error.Message);
    }

    [Fact]
    public void A_zero_based_edge_is_refused_with_the_rule()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.json");
        File.WriteAllText(path, """{"images":[],"annotations":[],"categories":[{"id":1,"name":"m","keypoints":["a","b"],"skeleton":[[0,1]]}]}""");

        var error = Assert.Throws<SleapException>(() => CocoReader.Read(path));

        Assert.Equal($"Cannot read '{path}' as COCO keypoints: categories[0].skeleton[0] is [0, 1], but keypoints are numbered 1 to 2 (COCO edges are 1-based).", error.Message);
    }
}
