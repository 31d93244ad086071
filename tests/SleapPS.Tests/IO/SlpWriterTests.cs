using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO;

public class SlpWriterTests
{
    private static readonly string[] Tables = ["frames", "instances", "points", "pred_points"];

    /// <summary>Two frames: a prediction and the user instance corrected from it, and a prediction on a track the list lacks.</summary>
    private static Labels SmallLabels(out Track unlisted)
    {
        var skeleton = Skeleton.FromNames("Skeleton-0", ["A", "B"], [("A", "B")]);
        var video = new Video("videos/clip.mp4", VideoBackend.Media) { Grayscale = true };
        var listed = new Track("female", spawnedOn: 0);
        unlisted = new Track("male", spawnedOn: 3);
        var predicted = new PredictedInstance(skeleton,
            [new Point(1.5, 2.5, Score: 0.75), new Point(double.NaN, double.NaN, Score: 0.0)], score: 0.9, track: listed, trackingScore: 0.5);
        var user = new Instance(skeleton, [new Point(1.0, 2.0, Visible: true, Complete: true), new Point(3.0, 4.0, Visible: false)], listed)
        {
            FromPredicted = predicted,
        };
        var later = new PredictedInstance(skeleton, [new Point(7, 8, Score: 0.25), new Point(9, 10, Score: 0.5)], score: 0.4, track: unlisted);
        var labels = new Labels();
        labels.Skeletons.Add(skeleton);
        labels.Tracks.Add(listed);
        labels.LabeledFrames.Add(new LabeledFrame(video, 5, [later]));
        labels.LabeledFrames.Add(new LabeledFrame(video, 0, [predicted, user]));
        labels.Suggestions.Add(new SuggestionFrame(video, 7, Group: 1));
        labels.Provenance["sleap_version"] = "1.4.1";
        return labels;
    }

    [Fact]
    public void WritesSleapsDatasetsWithSleapsDtypes()
    {
        using var dir = new TempDir();
        string path = dir.File("small.slp");
        SlpWriter.Write(SmallLabels(out _), path);

        var ours = H5py.Schema(path);
        var sleap = H5py.Schema(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
        Assert.Equal(sleap.Select(p => p.Key).Order(), ours.Select(p => p.Key).Order());
        foreach (string table in Tables)
        {
            Assert.Equal(H5py.Text(sleap[table]!["dtype"]!), H5py.Text(ours[table]!["dtype"]!));
            Assert.Null(ours[table]!["compression"]);
        }
        Assert.Equal("""[["","<f8"]]""", H5py.Text(ours["metadata@format_id"]!["dtype"]!));
        Assert.Equal("[]", H5py.Text(ours["metadata@format_id"]!["shape"]!));
        Assert.Equal("fixed", (string?)ours["metadata@json"]!["string"]);
        Assert.Equal("[]", H5py.Text(ours["metadata@json"]!["shape"]!));
        foreach (string list in new[] { "videos_json", "tracks_json", "suggestions_json" })
            Assert.Equal("fixed", (string?)ours[list]!["string"]);
        // S<maxlen>: the longest element fills the type exactly.
        Assert.Equal("""[["","|S12"]]""", H5py.Text(ours["tracks_json"]!["dtype"]!));
    }

    [Fact]
    public void WritesRowsAsSleapReadsThem()
    {
        using var dir = new TempDir();
        string path = dir.File("small.slp");
        var labels = SmallLabels(out var unlisted);
        SlpWriter.Write(labels, path);

        var file = H5py.Evaluate(path, """
            def rows(name): return [[None if isinstance(v, float) and np.isnan(v) else (v.item() if hasattr(v, 'item') else v) for v in row] for row in f[name][()].tolist()]
            meta = json.loads(f['metadata'].attrs['json'])
            print(json.dumps({
                'format_id': float(f['metadata'].attrs['format_id']),
                'meta_keys': list(meta.keys()),
                'nodes': meta['nodes'],
                'provenance': meta['provenance'],
                'videos': [json.loads(v) for v in f['videos_json'][()]],
                'tracks': [json.loads(v) for v in f['tracks_json'][()]],
                'suggestions': [json.loads(v) for v in f['suggestions_json'][()]],
                'frames': rows('frames'), 'instances': rows('instances'), 'points': rows('points'), 'pred_points': rows('pred_points'),
                'visible_kind': f['points'].dtype['visible'].kind,
            }))
            """);

        Assert.Equal(1.2, (double)file["format_id"]!);
        Assert.Equal("""["version","skeletons","nodes","videos","tracks","suggestions","negative_anchors","provenance"]""", H5py.Text(file["meta_keys"]!));
        Assert.Equal("""[{"name":"A","weight":1.0},{"name":"B","weight":1.0}]""", H5py.Text(file["nodes"]!));
        Assert.Equal("""{"sleap_version":"1.4.1"}""", H5py.Text(file["provenance"]!));
        Assert.Equal("videos/clip.mp4", (string?)file["videos"]![0]!["backend"]!["filename"]);
        // The unlisted track is appended after the listed one.
        Assert.Equal("""[[0,"female"],[3,"male"]]""", H5py.Text(file["tracks"]!));
        Assert.Equal("""[{"video":"0","frame_idx":7,"group":1}]""", H5py.Text(file["suggestions"]!));
        Assert.Equal("b", (string?)file["visible_kind"]);

        // Frames in the labels' order (5 before 0), instances contiguous.
        Assert.Equal("[[0,0,5,0,1],[1,0,0,1,3]]", H5py.Text(file["frames"]!));
        // instance_id, type, frame_id, skeleton, track, from_predicted, score, point start, end, tracking_score
        Assert.Equal(
            "[[0,1,0,0,1,-1,0.4000000059604645,0,2,0.0]," +
            "[1,1,1,0,0,-1,0.8999999761581421,2,4,0.5]," +
            "[2,0,1,0,0,1,null,0,2,null]]",
            H5py.Text(file["instances"]!));
        Assert.Equal("[[1.0,2.0,true,true],[3.0,4.0,false,false]]", H5py.Text(file["points"]!));
        Assert.Equal("[[7.0,8.0,true,false,0.25],[9.0,10.0,true,false,0.5],[1.5,2.5,true,false,0.75],[null,null,true,false,0.0]]",
            H5py.Text(file["pred_points"]!));

        // The caller's labels are left as they were.
        Assert.DoesNotContain(unlisted, labels.Tracks);
        Assert.Empty(labels.Videos);
    }

    [Fact]
    public void EmptyLabelsGiveEmptyTablesAndEmptyFloatLists()
    {
        using var dir = new TempDir();
        string path = dir.File("empty.slp");
        SlpWriter.Write(new Labels(), path);

        var schema = H5py.Schema(path);
        foreach (string table in Tables)
            Assert.Equal("[0]", H5py.Text(schema[table]!["shape"]!));
        foreach (string list in new[] { "videos_json", "tracks_json", "suggestions_json" })
        {
            Assert.Equal("[0]", H5py.Text(schema[list]!["shape"]!));
            Assert.Equal("""[["","<f8"]]""", H5py.Text(schema[list]!["dtype"]!));
        }
    }

    [Fact]
    public void RefusesAnInstanceWithTheWrongPointCountAndLeavesNoFile()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.slp");
        var labels = SmallLabels(out _);
        labels.Skeletons[0].Nodes.Add(new Node("C"));

        var error = Assert.Throws<SleapException>(() => SlpWriter.Write(labels, path));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal($"Cannot write '{path}': an instance on frame 5 of 'videos/clip.mp4' has 2 points but its skeleton 'Skeleton-0' has 3 nodes. Give every instance one point per skeleton node.", error.Message);
        Assert.Empty(dir.Entries);
    }
}

public class SlpRoundTripTests
{
    public static TheoryData<string> AllSlpFixtures()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.EnumerateFiles(Paths.Fixtures, "*.slp", SearchOption.AllDirectories).Order())
            data.Add(Path.GetRelativePath(Paths.Fixtures, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(AllSlpFixtures))]
    public void ReadWriteReadGivesEqualLabels(string fixture)
    {
        using var dir = new TempDir();
        string copy = dir.File("copy.slp");
        var first = SlpReader.Read(Paths.Fixture(fixture));
        SlpWriter.Write(first, copy);
        var second = SlpReader.Read(copy);

        LabelsAssert.Equal(first, second);
    }

    [Fact]
    public void RoundTripKeepsSleapsLayout()
    {
        string fixture = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");
        using var dir = new TempDir();
        string copy = dir.File("copy.slp");
        SlpWriter.Write(SlpReader.Read(fixture), copy);

        var sleap = H5py.Schema(fixture);
        var ours = H5py.Schema(copy);
        Assert.Equal(sleap.Select(p => p.Key).Order(), ours.Select(p => p.Key).Order());
        foreach (var (name, expected) in sleap)
        {
            // The global node list's order is SLEAP's set order, so the metadata JSON's length may differ;
            // SLEAP chunks its empty lists, which HDF5 cannot do without extendible datasets.
            if (name == "metadata@json" || H5py.Text(expected!["shape"]) == "[0]") continue;
            Assert.True(WithoutStringLength(expected) == WithoutStringLength(ours[name]), $"{name}: SLEAP {H5py.Text(expected)}, ours {H5py.Text(ours[name])}");
        }
        Assert.Equal("fixed", (string?)ours["metadata@json"]!["string"]);
        foreach (string empty in new[] { "points", "suggestions_json" })
            Assert.Equal(H5py.Text(sleap[empty]!["dtype"]), H5py.Text(ours[empty]!["dtype"]));
    }

    // SLEAP's fixed-length strings are not always as long as their longest value (tracks_json here is S14 for at most
    // 11 bytes, from edits after the file was first saved); ours are, as SlpWriterTests checks.
    private static string WithoutStringLength(JsonNode? schema) => System.Text.RegularExpressions.Regex.Replace(H5py.Text(schema), @"\|S\d+", "|S");
}
