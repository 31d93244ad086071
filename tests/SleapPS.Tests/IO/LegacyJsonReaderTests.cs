using System.IO.Compression;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO;

public class LegacyJsonReaderTests
{
    private static readonly string MinimalJson = Paths.Fixture("json_format_v2", "minimal_instance.json");

    private static void AssertMinimalInstance(Labels labels)
    {
        Assert.Equal(["A", "B"], Assert.Single(labels.Skeletons).NodeNames);
        Assert.Equal("A -> B", Assert.Single(labels.Skeletons[0].Edges).ToString());
        LabeledFrame frame = Assert.Single(labels.LabeledFrames);
        Assert.Equal(0, frame.FrameIndex);
        Assert.Equal(2, frame.Instances.Count);
        Assert.All(frame.Instances, i => Assert.False(i.IsPredicted));
        Assert.All(frame.Instances, i => Assert.Null(i.Track));
        // JSON points are used as stored (no half-pixel shift), same values as slp_hdf5/minimal_instance.slp.
        Assert.Equal(new Point(92.65220773208894, 202.7259777426982, true, true), frame.Instances[0].Points[0]);
        Assert.Equal(new Point(152.34188115939048, 158.42364351243816, true, true), frame.Instances[0].Points[1]);
        Assert.Equal(new Point(278.63521449272383, 203.3658657346604, true, true), frame.Instances[1].Points[1]);
        Assert.Empty(labels.Tracks);
        Assert.Empty(labels.Suggestions);
        Video video = Assert.Single(labels.Videos);
        Assert.Equal("tests/data/json_format_v1/centered_pair_low_quality.mp4", video.Filename);
        Assert.True(video.Grayscale);
    }

    [Fact]
    public void ReadsMinimalInstanceJson()
    {
        Labels labels = LegacyJsonReader.Read(MinimalJson);

        AssertMinimalInstance(labels);
        Assert.Equal(MinimalJson, labels.SourcePath);
        Assert.Equal(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), labels.Videos[0].ResolvedPath);
    }

    [Fact]
    public void LabelsReaderDispatchesJsonAndZip()
    {
        AssertMinimalInstance(LabelsReader.Read(MinimalJson));

        using var dir = new TempDir();
        string zipPath = dir.File("minimal_instance.json.zip");
        using (ZipArchive zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
            zip.CreateEntryFromFile(MinimalJson, "minimal_instance.json");

        Labels fromZip = LabelsReader.Read(zipPath);
        AssertMinimalInstance(fromZip);
        Assert.Equal(zipPath, fromZip.SourcePath);
    }

    [Fact]
    public void ReadsPredictionsTracksSuggestionsAndNaN()
    {
        // Written the way SLEAP's Labels.to_dict does, with Python's bare NaN for a missing coordinate.
        const string json = """
            {"version": "2.0.0", "format_id": 1,
             "skeletons": [{"directed": true, "graph": {"name": "s", "num_edges_inserted": 0}, "links": [], "multigraph": true, "nodes": [{"id": 1}, {"id": 0}]}],
             "nodes": [{"name": "tail", "weight": 1.0}, {"name": "head", "weight": 1.0}],
             "videos": [{"backend": {"filename": "movie.mp4", "grayscale": false, "bgr": true}}],
             "tracks": [[3, "mouse"]],
             "suggestions": [{"video": "0", "frame_idx": 7, "group": 1}],
             "provenance": {"sleap_version": "1.4.1", "args": {"batch_size": 4}},
             "labels": [{"video": 0, "frame_idx": 5, "_instances": [
                {"skeleton": 0, "track": 0, "score": 0.75, "tracking_score": 0.5,
                 "_points": {"1": {"x": 10.5, "y": 20.25, "visible": true, "complete": false, "score": 0.9},
                             "0": {"x": NaN, "y": NaN, "visible": true, "complete": false, "score": 0.0}}},
                {"skeleton": 0, "track": null, "_points": {"0": {"x": 1.0, "y": 2.0, "visible": false, "complete": true}},
                 "from_predicted": {"skeleton": 0, "track": null, "score": 0.25, "_points": {}}}]}]}
            """;
        using var dir = new TempDir();
        string path = dir.File("labels.json");
        File.WriteAllText(path, json);

        Labels labels = LabelsReader.Read(path);

        Assert.Equal(["head", "tail"], labels.Skeletons[0].NodeNames);
        Assert.Equal(("mouse", 3), (labels.Tracks[0].Name, labels.Tracks[0].SpawnedOn));
        var suggestion = Assert.Single(labels.Suggestions);
        Assert.Equal((labels.Videos[0], 7L, (int?)1), (suggestion.Video, suggestion.FrameIndex, suggestion.Group));
        Assert.Equal("1.4.1", labels.Provenance["sleap_version"]);
        Assert.Equal(4L, ((Dictionary<string, object?>)labels.Provenance["args"]!)["batch_size"]);

        LabeledFrame frame = Assert.Single(labels.LabeledFrames);
        Assert.Equal(5, frame.FrameIndex);
        var prediction = Assert.IsType<PredictedInstance>(frame.Instances[0]);
        Assert.Equal((0.75, 0.5), (prediction.Score, prediction.TrackingScore));
        Assert.Same(labels.Tracks[0], prediction.Track);
        Assert.Equal(new Point(10.5, 20.25, true, false, 0.9), prediction.Points[0]);
        Assert.True(double.IsNaN(prediction.Points[1].X));

        Instance user = frame.Instances[1];
        Assert.False(user.IsPredicted);
        Assert.Equal(Point.Missing.Visible, user.Points[0].Visible);
        Assert.True(double.IsNaN(user.Points[0].X));
        Assert.Equal(new Point(1.0, 2.0, false, true), user.Points[1]);
        Assert.Equal(0.25, user.FromPredicted!.Score);
        Assert.Null(labels.Videos[0].ResolvedPath);
    }
}
