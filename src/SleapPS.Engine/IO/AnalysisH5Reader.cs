using System.Text.Json.Nodes;
using PureHDF;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.IO;

/// <summary>
/// Reads a SLEAP analysis HDF5 file back into labels, as SLEAP's <c>SleapAnalysisAdaptor</c> does:
/// every slot of a frame with at least one coordinate becomes an instance on that slot's track.
/// </summary>
/// <remarks>
/// Where SLEAP makes every instance a prediction with scores of 1, this reader keeps what the file holds:
/// a slot with an instance score is a <see cref="PredictedInstance"/> with the file's instance, point and
/// tracking scores (a NaN tracking score reads as 0, SLEAP's value for untracked predictions), and a slot
/// whose instance score is NaN (a user instance when exported) is a user <see cref="Instance"/>. Files
/// without <c>instance_scores</c> read as SLEAP reads them. Skeleton edges come from <c>edge_inds</c>.
/// </remarks>
public static class AnalysisH5Reader
{
    /// <summary>
    /// True when an HDF5 file looks like an analysis export: SLEAP's 'tracks' and 'track_occupancy'
    /// datasets and no labels 'metadata' group. False for anything else, unreadable files included.
    /// </summary>
    public static bool IsAnalysisFile(string path)
    {
        try
        {
            using var file = CheckedHdf5.OpenRead(path);
            return !file.LinkExists("metadata") && file.LinkExists("tracks") && file.LinkExists("track_occupancy");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <exception cref="SleapException">The file is missing (NotFound), or is not a SLEAP analysis file (InvalidData).</exception>
    public static Labels Read(string path)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new SleapException(SleapErrorKind.NotFound, $"Cannot read '{fullPath}': the file does not exist. Check the path.", fullPath);
        try
        {
            using var file = CheckedHdf5.OpenRead(fullPath);
            return Read(file, fullPath, new FileInfo(fullPath).Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{fullPath}': {ex.Message}", fullPath, ex);
        }
        catch (Exception ex) when (ex is not SleapException)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}' as a SLEAP analysis file: {ex.Message} Export it again with SLEAP, or with Export-SleapLabels -Format Analysis.", fullPath, ex);
        }
    }

    private static Labels Read(IH5Group file, string path, long fileLength)
    {
        foreach (string required in new[] { "tracks", "track_occupancy" })
            if (!file.LinkExists(required))
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"Cannot read '{path}' as a SLEAP analysis file: it has no '{required}' dataset. Analysis files hold 'tracks' and 'track_occupancy'; open .slp files with the labels reader.", path);

        // (F, N, 2, T) after undoing SLEAP's axis reversal.
        var tracks = (double[,,,])ReadArray(file, "tracks", fileLength);
        int frameCount = tracks.GetLength(0), nodeCount = tracks.GetLength(1), slotCount = tracks.GetLength(3);
        var pointScores = file.LinkExists("point_scores") ? (double[,,])ReadArray(file, "point_scores", fileLength) : null;
        var instanceScores = file.LinkExists("instance_scores") ? (double[,])ReadArray(file, "instance_scores", fileLength) : null;
        var trackingScores = file.LinkExists("tracking_scores") ? (double[,])ReadArray(file, "tracking_scores", fileLength) : null;

        string[] trackNames = Strings(file, "track_names", fileLength) is { Length: > 0 } names ? names : Enumerable.Range(0, slotCount).Select(i => $"track_{i}").ToArray();
        string[] nodeNames = Strings(file, "node_names", fileLength) is { Length: > 0 } nodes ? nodes : Enumerable.Range(0, nodeCount).Select(i => $"node {i}").ToArray();
        if (trackNames.Length != slotCount || nodeNames.Length != nodeCount)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{path}': 'tracks' has {slotCount} tracks and {nodeCount} nodes but the file names {trackNames.Length} tracks and {nodeNames.Length} nodes.", path);

        var skeleton = new Skeleton("Skeleton-0", nodeNames.Select(n => new Node(n)));
        foreach (var (source, destination) in EdgeIndices(file, nodeCount, path, fileLength))
            skeleton.Edges.Add(new Edge(skeleton.Nodes[source], skeleton.Nodes[destination]));

        string videoPath = file.LinkExists("video_path") ? ScalarString(file, "video_path") : "";
        var video = new Video(videoPath, VideoJson.BackendOf(videoPath));
        var trackList = trackNames.Select(n => new Track(n)).ToList();

        var labels = new Labels { SourcePath = path };
        labels.Videos.Add(video);
        labels.Skeletons.Add(skeleton);
        labels.Tracks.AddRange(trackList);
        if (file.LinkExists("provenance") && Json.PythonJson.Parse(ScalarString(file, "provenance")) is JsonObject provenance)
            foreach (var (key, value) in provenance) labels.Provenance[key] = JsonValues.ToPlain(value);

        for (int f = 0; f < frameCount; f++)
        {
            List<Instance>? instances = null;
            for (int t = 0; t < slotCount; t++)
            {
                if (!HasAnyCoordinate(tracks, f, t, nodeCount)) continue;
                (instances ??= new()).Add(MakeInstance(skeleton, trackList[t], tracks, pointScores, instanceScores, trackingScores, f, t));
            }
            if (instances is not null)
                labels.LabeledFrames.Add(new LabeledFrame(video, f, instances));
        }
        return labels;
    }

    private static Instance MakeInstance(Skeleton skeleton, Track track, double[,,,] tracks, double[,,]? pointScores,
        double[,]? instanceScores, double[,]? trackingScores, int f, int t)
    {
        int nodeCount = skeleton.Nodes.Count;
        var points = new Point[nodeCount];
        if (instanceScores is not null && double.IsNaN(instanceScores[f, t]))
        {
            for (int n = 0; n < nodeCount; n++)
                points[n] = Present(tracks, f, n, t) ? new Point(tracks[f, n, 0, t], tracks[f, n, 1, t]) : Point.Missing;
            return new Instance(skeleton, points, track);
        }

        // Without instance_scores the file predates scores: SLEAP gives every point and instance a score of 1.
        for (int n = 0; n < nodeCount; n++)
        {
            double score = instanceScores is null || pointScores is null ? 1.0 : pointScores[f, n, t];
            points[n] = Present(tracks, f, n, t)
                ? new Point(tracks[f, n, 0, t], tracks[f, n, 1, t], Score: score)
                : Point.MissingPredicted with { Score = score };
        }
        double instanceScore = instanceScores?[f, t] ?? 1.0;
        double trackingScore = trackingScores is null || double.IsNaN(trackingScores[f, t]) ? 0.0 : trackingScores[f, t];
        return new PredictedInstance(skeleton, points, instanceScore, track, trackingScore);
    }

    private static bool Present(double[,,,] tracks, int f, int n, int t) => !double.IsNaN(tracks[f, n, 0, t]) && !double.IsNaN(tracks[f, n, 1, t]);

    private static bool HasAnyCoordinate(double[,,,] tracks, int f, int t, int nodeCount)
    {
        for (int n = 0; n < nodeCount; n++)
            if (!double.IsNaN(tracks[f, n, 0, t]) || !double.IsNaN(tracks[f, n, 1, t])) return true;
        return false;
    }

    /// <summary>A float64 dataset in its logical layout (axes reversed back).</summary>
    private static Array ReadArray(IH5Group file, string name, long fileLength)
    {
        var dataset = file.Dataset(name);
        DeclaredExtent.Check(dataset, name, fileLength);
        var shape = dataset.Space.Dimensions;
        double[] elements = dataset.Type.Class == H5DataTypeClass.FloatingPoint && dataset.Type.Size == 8
            ? dataset.Read<double[]>()
            : dataset.Read<byte[]>().Select(b => (double)b).ToArray();  // track_occupancy (uint8)
        return ColumnMajor.Untranspose(elements, shape);
    }

    /// <summary>A 1-D string dataset, or an empty array for SLEAP's empty float64 placeholder or a missing dataset.</summary>
    private static string[] Strings(IH5Group file, string name, long fileLength)
    {
        if (!file.LinkExists(name)) return [];
        var dataset = file.Dataset(name);
        DeclaredExtent.Check(dataset, name, fileLength);
        return dataset.Type.Class == H5DataTypeClass.String ? dataset.Read<string[]>() : [];
    }

    private static string ScalarString(IH5Group file, string name) => file.Dataset(name).Read<string>();

    private static IEnumerable<(int Source, int Destination)> EdgeIndices(IH5Group file, int nodeCount, string path, long fileLength)
    {
        if (!file.LinkExists("edge_inds")) yield break;
        var dataset = file.Dataset("edge_inds");
        DeclaredExtent.Check(dataset, "edge_inds", fileLength);
        if (dataset.Type.Class != H5DataTypeClass.FixedPoint || dataset.Space.Rank != 2) yield break;
        long[] values = dataset.Type.Size == 8
            ? dataset.Read<long[]>()
            : dataset.Read<int[]>().Select(v => (long)v).ToArray();
        for (int i = 0; i + 1 < values.Length; i += 2)
        {
            if (values[i] < 0 || values[i] >= nodeCount || values[i + 1] < 0 || values[i + 1] >= nodeCount)
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"Cannot read '{path}': edge {i / 2} joins nodes {values[i]} and {values[i + 1]}, but the skeleton has {nodeCount} nodes.", path);
            yield return ((int)values[i], (int)values[i + 1]);
        }
    }
}
