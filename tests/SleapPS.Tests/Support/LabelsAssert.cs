using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Tests.Support;

/// <summary>
/// Field-by-field equality of two labels, with messages that say where they differ. Objects are compared by
/// position (a track is "the same" when it has the same index in both track lists), values exactly
/// (NaN equals NaN).
/// </summary>
public static class LabelsAssert
{
    /// <param name="expected">The labels written.</param>
    /// <param name="actual">The labels read back.</param>
    /// <param name="foundVideoPaths">The file was written by Export-SleapLabels, which stores each video's path as the new file
    /// finds it (VideoPathResolver.PathToStore): expect that path rather than the one <paramref name="expected"/> holds.</param>
    public static void Equal(Labels expected, Labels actual, bool foundVideoPaths = false)
    {
        Assert.Equal(expected.Videos.Count, actual.Videos.Count);
        for (int v = 0; v < expected.Videos.Count; v++)
        {
            var (e, a) = (expected.Videos[v], actual.Videos[v]);
            string where = $"video {v}";
            string filename = foundVideoPaths ? VideoPathResolver.PathToStore(e, actual.SourcePath!) : e.Filename;
            Assert.True(filename == a.Filename, $"{where}: filename '{filename}' became '{a.Filename}'");
            Assert.True(e.Backend == a.Backend, $"{where}: backend {e.Backend} became {a.Backend}");
            var metadata = e.BackendMetadata?.DeepClone().AsObject();
            if (metadata is not null && foundVideoPaths && metadata.ContainsKey("filename") && metadata["filename"]?.GetValue<string>() != ".")
                metadata["filename"] = filename;
            Assert.Equal(metadata?.ToJsonString(), a.BackendMetadata?.ToJsonString());
            Assert.Equal(e.ImageFilenames, a.ImageFilenames);
            Assert.Equal((e.Dataset, e.Grayscale, e.FrameCount, e.Height, e.Width, e.Channels), (a.Dataset, a.Grayscale, a.FrameCount, a.Height, a.Width, a.Channels));
        }

        Assert.Equal(expected.Skeletons.Count, actual.Skeletons.Count);
        for (int s = 0; s < expected.Skeletons.Count; s++)
        {
            var (e, a) = (expected.Skeletons[s], actual.Skeletons[s]);
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Description, a.Description);
            Assert.Equal(e.NodeNames, a.NodeNames);
            Assert.Equal(e.EdgeIndices, a.EdgeIndices);
            Assert.Equal(SymmetryIndices(e), SymmetryIndices(a));
        }

        Assert.Equal(expected.Tracks.Select(t => (t.Name, t.SpawnedOn)), actual.Tracks.Select(t => (t.Name, t.SpawnedOn)));
        Assert.Equal(
            expected.Suggestions.Select(s => (expected.Videos.IndexOf(s.Video), s.FrameIndex, s.Group)),
            actual.Suggestions.Select(s => (actual.Videos.IndexOf(s.Video), s.FrameIndex, s.Group)));
        Assert.Equal(JsonValues.FromPlain(expected.Provenance)!.ToJsonString(), JsonValues.FromPlain(actual.Provenance)!.ToJsonString());

        Assert.Equal(expected.LabeledFrames.Count, actual.LabeledFrames.Count);
        var expectedInstances = expected.AllInstances.ToList();
        var actualInstances = actual.AllInstances.ToList();
        for (int f = 0; f < expected.LabeledFrames.Count; f++)
        {
            var (e, a) = (expected.LabeledFrames[f], actual.LabeledFrames[f]);
            string where = $"frame row {f} (frame {e.FrameIndex})";
            Assert.True(expected.Videos.IndexOf(e.Video) == actual.Videos.IndexOf(a.Video), $"{where}: video differs");
            Assert.True(e.FrameIndex == a.FrameIndex, $"{where}: frame index {e.FrameIndex} became {a.FrameIndex}");
            Assert.True(e.Instances.Count == a.Instances.Count, $"{where}: {e.Instances.Count} instances became {a.Instances.Count}");
            for (int i = 0; i < e.Instances.Count; i++)
                InstanceEqual(expected, actual, expectedInstances, actualInstances, e.Instances[i], a.Instances[i], $"{where}, instance {i}");
        }
    }

    private static void InstanceEqual(Labels expected, Labels actual, List<Instance> expectedInstances, List<Instance> actualInstances,
        Instance e, Instance a, string where)
    {
        Assert.True(e.IsPredicted == a.IsPredicted, $"{where}: predicted {e.IsPredicted} became {a.IsPredicted}");
        Assert.True(expected.Skeletons.IndexOf(e.Skeleton) == actual.Skeletons.IndexOf(a.Skeleton), $"{where}: skeleton differs");
        int et = e.Track is null ? -1 : expected.Tracks.IndexOf(e.Track), at = a.Track is null ? -1 : actual.Tracks.IndexOf(a.Track);
        Assert.True(et == at, $"{where}: track {et} became {at}");
        int ef = e.FromPredicted is null ? -1 : expectedInstances.IndexOf(e.FromPredicted);
        int af = a.FromPredicted is null ? -1 : actualInstances.IndexOf(a.FromPredicted);
        Assert.True(ef == af, $"{where}: from_predicted {ef} became {af}");
        if (e is PredictedInstance ep && a is PredictedInstance ap)
        {
            Assert.True(ep.Score.Equals(ap.Score), $"{where}: score {ep.Score} became {ap.Score}");
            Assert.True(ep.TrackingScore.Equals(ap.TrackingScore), $"{where}: tracking score {ep.TrackingScore} became {ap.TrackingScore}");
        }
        Assert.True(e.Points.Length == a.Points.Length, $"{where}: {e.Points.Length} points became {a.Points.Length}");
        for (int p = 0; p < e.Points.Length; p++)
            Assert.True(e.Points[p].Equals(a.Points[p]), $"{where}, point {p}: {e.Points[p]} became {a.Points[p]}");
    }

    private static HashSet<(int, int)> SymmetryIndices(Skeleton skeleton) =>
        skeleton.Symmetries.Select(s => (skeleton.IndexOf(s.First), skeleton.IndexOf(s.Second)))
            .Select(p => p.Item1 < p.Item2 ? p : (p.Item2, p.Item1)).ToHashSet();
}
