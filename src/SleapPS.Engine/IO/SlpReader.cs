using System.Text.Json.Nodes;
using PureHDF;
using PureHDF.VOL.Native;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.IO;

/// <summary>
/// Reads SLEAP labels HDF5 files (.slp, .pkg.slp), format_id 1.0 to 1.x, as SLEAP's LabelsV1Adaptor does
/// (docs/design/file-formats.md §6). Every table is read whole in one call; rows are decoded from memory.
/// </summary>
public static class SlpReader
{
    private static readonly string[] FrameColumnNames = ["frame_id", "video", "frame_idx", "instance_id_start", "instance_id_end"];
    private static readonly string[] InstanceColumnNames =
        ["instance_id", "instance_type", "frame_id", "skeleton", "track", "from_predicted", "score", "point_id_start", "point_id_end", "tracking_score"];
    private static readonly string[] PointColumnNames = ["x", "y", "visible", "complete", "score"];

    /// <exception cref="SleapException">The file is missing, not HDF5, not SLEAP labels, of an unsupported version, or damaged.</exception>
    public static Labels Read(string path, LabelsReadOptions? options = null)
    {
        string fullPath = LabelsFileChecks.RequireFile(path);
        bool isHdf5;
        try { isHdf5 = Hdf5Signature.IsHdf5(fullPath); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{fullPath}': {ex.Message}", fullPath, ex);
        }
        if (!isHdf5)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}': it is not an HDF5 file, so it is not a SLEAP .slp labels file. Check that the path points to a .slp file saved by SLEAP.", fullPath);

        Labels labels;
        try
        {
            using var file = CheckedHdf5.OpenRead(fullPath);
            labels = ReadLabels(file, fullPath);
        }
        catch (SleapException)
        {
            throw;
        }
        catch (InvalidDataException ex) when (FileEndsEarly.DetailOf(ex) is not null)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}': the HDF5 file is damaged or incomplete ({FileEndsEarly.DetailOf(ex)}). If it was being copied or written, wait for that to finish or copy it again.", fullPath, ex);
        }
        catch (InvalidDataException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}': it is not a valid SLEAP labels file. {ex.Message} Re-save it with SLEAP, or check that it is the right file.", fullPath, ex);
        }
        catch (OutOfMemoryException ex)
        {
            // PureHDF sizes some header messages (fill values, names) before our checks can see them (docs/design/reliability.md §3).
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}': the HDF5 file is damaged (a header declares more data than can exist: {ex.Message}). Re-save it with SLEAP, or copy it again.", fullPath, ex);
        }
        catch (Exception ex)
        {
            // PureHDF reports truncated or corrupt files with a variety of exception types.
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}': the HDF5 file is damaged or incomplete ({ex.Message}). If it was being copied or written, wait for that to finish or copy it again.", fullPath, ex);
        }

        VideoPathResolver.ResolveAll(labels, options);
        return labels;
    }

    private static Labels ReadLabels(NativeFile file, string fullPath)
    {
        if (!file.LinkExists("metadata"))
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}': it is an HDF5 file but neither a SLEAP labels file (it has no 'metadata' group) nor a SLEAP analysis file. Choose a .slp or analysis .h5 file saved by SLEAP.", fullPath);
        IH5Group metadataGroup = file.Group("metadata");

        // Files without a format_id predate 1.1 and use the old gridline coordinates.
        double formatId = metadataGroup.AttributeExists("format_id") ? ReadScalarDouble(metadataGroup.Attribute("format_id")) : 1.0;
        if (formatId >= 2.0)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"Cannot read '{fullPath}': its format_id is {formatId.ToString(System.Globalization.CultureInfo.InvariantCulture)}, a newer SLEAP labels format than this module reads (1.x). Save it from SLEAP 1.x, or update SleapPS.", fullPath);

        if (!metadataGroup.AttributeExists("json"))
            throw new InvalidDataException("Its 'metadata' group has no 'json' attribute.");
        // Every declared size is checked against the file's before it is read (docs/design/reliability.md §3).
        long fileLength = new FileInfo(fullPath).Length;
        IH5Attribute metadataJson = metadataGroup.Attribute("json");
        DeclaredExtent.Check(metadataJson, "metadata/json", fileLength);
        var metadata = PythonJson.Parse(metadataJson.Read<string>()) as JsonObject
            ?? throw new InvalidDataException("Its metadata JSON is not an object.");

        var labels = new Labels { SourcePath = fullPath };
        LabelsMetadata.Apply(metadata, labels,
            videos: ReadJsonList(file, "videos_json", fileLength),
            tracks: ReadJsonList(file, "tracks_json", fileLength),
            suggestions: ReadJsonList(file, "suggestions_json", fileLength));
        foreach (var video in labels.Videos)
            ReadSourceVideo(file, video);

        ReadFrames(file, labels, formatId, fileLength);
        return labels;
    }

    /// <summary>
    /// For frames embedded in this file (a package, docs/design/file-formats.md §11): the video they were taken from,
    /// from <c>video{k}/source_video</c>'s <c>json</c> attribute, when the file keeps it.
    /// </summary>
    private static void ReadSourceVideo(NativeFile file, Video video)
    {
        // The reader turns the stored "." (this file) into the file's path; the stored entry keeps the ".".
        if (JsonRead.GetString(video.BackendMetadata?["filename"]) != "." || video.Dataset is not { Length: > 0 } dataset) return;
        int slash = dataset.LastIndexOf('/');
        string sourcePath = (slash < 0 ? dataset : dataset[..slash]) + "/source_video";
        if (!file.LinkExists(sourcePath)) return;
        var group = file.Group(sourcePath);
        if (!group.AttributeExists("json")) return;
        if (PythonJson.Parse(group.Attribute("json").Read<string>().TrimEnd('\0')) is JsonObject element)
            video.SourceVideo = VideoJson.Decode(element);
    }

    private static double ReadScalarDouble(IH5Attribute attribute) =>
        attribute.Type.Class == H5DataTypeClass.FloatingPoint ? attribute.Read<double>() : Convert.ToDouble(attribute.Read<long>());

    /// <summary>The JSON elements of a *_json dataset, or null when the file has no such dataset.</summary>
    private static List<JsonNode?>? ReadJsonList(NativeFile file, string name, long fileLength)
    {
        if (!file.LinkExists(name)) return null;
        IH5Dataset dataset = file.Dataset(name);
        // An empty list is written by h5py as an empty float64 dataset.
        if (dataset.Type.Class != H5DataTypeClass.String && dataset.Type.Class != H5DataTypeClass.VariableLength)
            return new List<JsonNode?>();
        DeclaredExtent.Check(dataset, name, fileLength);
        return dataset.Read<string[]>().Select(text => PythonJson.Parse(text.TrimEnd('\0'))).ToList();
    }

    private static void ReadFrames(NativeFile file, Labels labels, double formatId, long fileLength)
    {
        var frames = CompoundTable.Read(file.Dataset("frames"), "frames", FrameColumnNames, fileLength);
        var instances = CompoundTable.Read(file.Dataset("instances"), "instances", InstanceColumnNames, fileLength);
        var points = file.LinkExists("points") ? CompoundTable.Read(file.Dataset("points"), "points", PointColumnNames, fileLength) : null;
        var predPoints = file.LinkExists("pred_points") ? CompoundTable.Read(file.Dataset("pred_points"), "pred_points", PointColumnNames, fileLength) : null;

        var instanceObjects = ReadInstances(instances, points, predPoints, labels, formatId);

        var video = frames.Require("video");
        var frameIndex = frames.Require("frame_idx");
        var start = frames.Require("instance_id_start");
        var end = frames.Require("instance_id_end");
        labels.LabeledFrames.Capacity = frames.RowCount;
        for (int row = 0; row < frames.RowCount; row++)
        {
            long videoIndex = frames.GetInt64(row, video);
            if (videoIndex < 0 || videoIndex >= labels.Videos.Count)
                throw new InvalidDataException($"Frame row {row} refers to video {videoIndex}, but the file lists {labels.Videos.Count} videos.");
            long first = frames.GetInt64(row, start), last = frames.GetInt64(row, end);
            if (first < 0 || last < first || last > instanceObjects.Length)
                throw new InvalidDataException($"Frame row {row} refers to instances {first} to {last}, but the file has {instanceObjects.Length} instances.");
            var frame = new LabeledFrame(labels.Videos[(int)videoIndex], frames.GetInt64(row, frameIndex));
            frame.Instances.Capacity = (int)(last - first);
            for (long i = first; i < last; i++) frame.Instances.Add(instanceObjects[i]);
            labels.LabeledFrames.Add(frame);
        }
    }

    private static Instance[] ReadInstances(CompoundTable instances, CompoundTable? points, CompoundTable? predPoints, Labels labels, double formatId)
    {
        var type = instances.Require("instance_type");
        var skeletonField = instances.Require("skeleton");
        var trackField = instances.Require("track");
        var fromPredictedField = instances.Require("from_predicted");
        var scoreField = instances.Require("score");
        var pointStart = instances.Require("point_id_start");
        var pointEnd = instances.Require("point_id_end");
        // tracking_score exists from format 1.2; SLEAP ignores the column in older files.
        CompoundTable.Field? trackingScoreField = formatId >= 1.2 && instances.Has("tracking_score") ? instances.Require("tracking_score") : null;
        // Format 1.0 stored user points in gridline coordinates, half a pixel off the pixel-centre ones used since.
        double userShift = formatId < 1.1 ? 0.5 : 0.0;

        PointColumns? userColumns = points is null ? null : PointColumns.Of(points, withScore: false);
        PointColumns? predictedColumns = predPoints is null ? null : PointColumns.Of(predPoints, withScore: true);

        var result = new Instance[instances.RowCount];
        var fromPredicted = new long[instances.RowCount];
        for (int row = 0; row < instances.RowCount; row++)
        {
            long skeletonIndex = instances.GetInt64(row, skeletonField);
            if (skeletonIndex < 0 || skeletonIndex >= labels.Skeletons.Count)
                throw new InvalidDataException($"Instance row {row} refers to skeleton {skeletonIndex}, but the file lists {labels.Skeletons.Count} skeletons.");
            Skeleton skeleton = labels.Skeletons[(int)skeletonIndex];

            long trackIndex = instances.GetInt64(row, trackField);
            if (trackIndex >= labels.Tracks.Count)
                throw new InvalidDataException($"Instance row {row} refers to track {trackIndex}, but the file lists {labels.Tracks.Count} tracks.");
            Track? track = trackIndex < 0 ? null : labels.Tracks[(int)trackIndex];

            bool predicted = instances.GetInt64(row, type) == 1;
            CompoundTable table = (predicted ? predPoints : points)
                ?? throw new InvalidDataException($"Instance row {row} has points, but the file has no '{(predicted ? "pred_points" : "points")}' dataset.");
            PointColumns columns = predicted ? predictedColumns!.Value : userColumns!.Value;
            Point[] nodePoints = ReadPoints(table, columns, instances.GetInt64(row, pointStart), instances.GetInt64(row, pointEnd), skeleton.Nodes.Count, predicted, userShift, row);

            if (predicted)
            {
                double trackingScore = trackingScoreField is { } f ? instances.GetDouble(row, f) : 0.0;
                result[row] = new PredictedInstance(skeleton, nodePoints, instances.GetDouble(row, scoreField), track, trackingScore);
            }
            else
            {
                result[row] = new Instance(skeleton, nodePoints, track);
            }
            fromPredicted[row] = instances.GetInt64(row, fromPredictedField);
        }

        // from_predicted may point at a later row, so it is linked once every instance exists.
        for (int row = 0; row < result.Length; row++)
        {
            long source = fromPredicted[row];
            if (!result[row].IsPredicted && source >= 0 && source < result.Length && result[source] is PredictedInstance prediction)
                result[row].FromPredicted = prediction;
        }
        return result;
    }

    /// <summary>The fields of a points table, looked up once per table rather than once per instance.</summary>
    private readonly record struct PointColumns(CompoundTable.Field X, CompoundTable.Field Y, CompoundTable.Field Visible, CompoundTable.Field Complete, CompoundTable.Field? Score)
    {
        public static PointColumns Of(CompoundTable table, bool withScore) => new(
            table.Require("x"), table.Require("y"), table.Require("visible"), table.Require("complete"),
            withScore ? table.Require("score") : null);
    }

    private static Point[] ReadPoints(CompoundTable table, PointColumns columns, long first, long last, int nodeCount, bool predicted, double shift, int instanceRow)
    {
        if (first < 0 || last < first || last > table.RowCount)
            throw new InvalidDataException($"Instance row {instanceRow} refers to {table.Name} rows {first} to {last}, but the file has {table.RowCount}.");

        var result = new Point[nodeCount];
        int stored = (int)Math.Min(last - first, nodeCount);
        for (int n = 0; n < stored; n++)
        {
            int row = (int)first + n;
            result[n] = new Point(
                table.GetDouble(row, columns.X) - shift,
                table.GetDouble(row, columns.Y) - shift,
                table.GetBool(row, columns.Visible),
                table.GetBool(row, columns.Complete),
                columns.Score is { } score ? table.GetDouble(row, score) : double.NaN);
        }
        // Nodes added to the skeleton after the instance was saved have no rows.
        for (int n = stored; n < nodeCount; n++)
            result[n] = predicted ? Point.MissingPredicted : Point.Missing;
        return result;
    }
}
