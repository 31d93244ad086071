using System.Globalization;
using PureHDF;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;

namespace SleapPS.Engine.IO.Nwb;

/// <summary>
/// Writes labels as an NWB file with the ndx-pose extension (docs/design/file-formats.md §14), laid out as sleap-io
/// writes predictions: the skeletons in <c>/processing/behavior/Skeletons</c>, one processing module per video
/// (<c>SLEAP_VIDEO_&lt;index:000&gt;_&lt;video stem&gt;</c>), in it one <c>PoseEstimation</c> per track
/// (<c>track=&lt;name&gt;</c>, or <c>track=untracked</c>) holding one <c>PoseEstimationSeries</c> per node: the
/// node's (x, y) on the frames where it has coordinates, with the point scores as confidence and the frame
/// indices as timestamps (sleap-io's default of one sample per second).
/// </summary>
public static class NwbWriter
{
    private const string NwbVersion = "2.8.0";
    private const string ReferenceFrame =
        "The coordinates are in (x, y) relative to the top-left of the image. Coordinates refer to the midpoint of the pixel. " +
        "That is, the midpoint of the top-left pixel is at (0, 0), whereas the top-left corner of that same pixel is at (-0.5, -0.5).";

    /// <summary>Writes <paramref name="labels"/> to <paramref name="path"/>; the file is complete or absent.</summary>
    /// <param name="sessionStart">The NWB session start time (default: now, as sleap-io does).</param>
    /// <exception cref="SleapException">Two instances would share one track on one frame (untracked labels with several
    /// animals per frame), a name holds '/', there are no instances (InvalidArgument), or the file cannot be written.</exception>
    public static void Write(Labels labels, string path, DateTimeOffset? sessionStart = null)
    {
        var scope = ReferencedLabels.Of(labels);
        if (!scope.LabeledFrames.Any(f => f.Instances.Count > 0))
            throw new SleapException(SleapErrorKind.InvalidArgument, $"Cannot export '{path}': the labels have no instances, so there is nothing to write.", path);

        var builder = new H5FileBuilder();
        var root = builder.Root;
        string now = (sessionStart ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
        root.Attributes = new()
        {
            ["namespace"] = builder.VariableLengthStringAttribute("core"),
            ["neurodata_type"] = builder.VariableLengthStringAttribute("NWBFile"),
            ["nwb_version"] = builder.VariableLengthStringAttribute(NwbVersion),
            ["object_id"] = builder.VariableLengthStringAttribute(Guid.NewGuid().ToString()),
        };
        root["file_create_date"] = builder.VariableLengthStrings([now]);
        root["identifier"] = builder.VariableLengthString(Guid.NewGuid().ToString());
        root["session_description"] = builder.VariableLengthString("Processed SLEAP pose data");
        root["session_start_time"] = builder.VariableLengthString(now);
        root["timestamps_reference_time"] = builder.VariableLengthString(now);
        root["acquisition"] = new H5Group();
        root["analysis"] = new H5Group();
        root["general"] = new H5Group();
        root["stimulus"] = new H5Group { ["presentation"] = new H5Group(), ["templates"] = new H5Group() };

        var processing = new H5Group();
        root["processing"] = processing;
        var skeletons = Typed(builder, new H5Group(), "ndx-pose", "Skeletons");
        foreach (var skeleton in scope.Skeletons)
            skeletons[Name(skeleton.Name, "skeleton", path)] = SkeletonGroup(builder, skeleton);
        processing["behavior"] = Module(builder, "processed behavioral data", ("Skeletons", skeletons));

        for (int v = 0; v < scope.Videos.Count; v++)
        {
            var video = scope.Videos[v];
            var frames = scope.LabeledFrames.Where(f => ReferenceEquals(f.Video, video) && f.Instances.Count > 0).ToList();
            if (frames.Count == 0) continue;
            var poses = TrackSeries.Collect(frames, path)
                .Select(series => ($"track={Name(series.Track?.Name ?? "untracked", "track", path)}", (H5Object)PoseEstimation(builder, series, video, path)))
                .ToArray();
            processing[$"SLEAP_VIDEO_{v:000}_{Name(Stem(video), "video", path)}"] = Module(builder, "Processed SLEAP data", poses);
        }

        AtomicFile.Write(path, builder.Write);
    }

    private static H5Group Module(H5FileBuilder builder, string description, params (string Name, H5Object Child)[] children)
    {
        var module = Typed(builder, new H5Group(), "core", "ProcessingModule");
        module.Attributes["description"] = builder.VariableLengthStringAttribute(description);
        foreach (var (name, child) in children) module[name] = child;
        return module;
    }

    private static H5Group SkeletonGroup(H5FileBuilder builder, Skeleton skeleton)
    {
        var group = Typed(builder, new H5Group(), "ndx-pose", "Skeleton");
        group["nodes"] = builder.VariableLengthStrings(skeleton.NodeNames);
        var edges = skeleton.EdgeIndices.SelectMany(e => new[] { checked((byte)e.Source), checked((byte)e.Destination) }).ToArray();
        group["edges"] = H5FileBuilder.PlainArray(edges, [(ulong)skeleton.Edges.Count, 2]);
        return group;
    }

    private static H5Group PoseEstimation(H5FileBuilder builder, TrackSeries series, Video video, string path)
    {
        var group = Typed(builder, new H5Group(), "ndx-pose", "PoseEstimation");
        group["description"] = builder.VariableLengthString($"Estimated positions of {series.Skeleton.Name} in video {Path.GetFileName(video.Filename)}");
        group["original_videos"] = builder.VariableLengthStrings([VideoPathResolver.PathToStore(video, path)]);
        group["labeled_videos"] = builder.VariableLengthStrings([VideoPathResolver.PathToStore(video, path)]);
        group["scorer"] = builder.VariableLengthString("SleapPS");
        group["source_software"] = builder.VariableLengthString("SLEAP");
        for (int n = 0; n < series.Skeleton.Nodes.Count; n++)
        {
            var (frames, xy, confidence) = series.Node(n);
            if (frames.Length == 0) continue; // a node never seen has no series, as sleap-io drops empty rows
            string node = Name(series.Skeleton.Nodes[n].Name, "node", path);
            var data = H5FileBuilder.PlainArray(xy, [(ulong)frames.Length, 2]);
            data.Attributes = new()
            {
                ["unit"] = builder.VariableLengthStringAttribute("pixels"),
                ["conversion"] = 1.0,
                ["offset"] = 0.0,
                ["resolution"] = -1.0,
            };
            var confidenceData = H5FileBuilder.PlainArray(confidence, [(ulong)frames.Length]);
            confidenceData.Attributes = new() { ["definition"] = builder.VariableLengthStringAttribute("Point-wise confidence scores.") };
            var timestamps = H5FileBuilder.PlainArray(Array.ConvertAll(frames, f => (double)f), [(ulong)frames.Length]);
            timestamps.Attributes = new() { ["interval"] = 1, ["unit"] = builder.VariableLengthStringAttribute("seconds") };
            var seriesGroup = Typed(builder, new H5Group(), "ndx-pose", "PoseEstimationSeries");
            seriesGroup.Attributes["description"] = builder.VariableLengthStringAttribute($"Sequential trajectory of {node}.");
            seriesGroup.Attributes["comments"] = builder.VariableLengthStringAttribute("Timestamps are frame indices (one sample per second).");
            seriesGroup["data"] = data;
            seriesGroup["confidence"] = confidenceData;
            seriesGroup["timestamps"] = timestamps;
            seriesGroup["reference_frame"] = builder.VariableLengthString(ReferenceFrame);
            group[node] = seriesGroup;
        }
        return group;
    }

    /// <summary>The attributes HDMF gives every typed object: its namespace, type and a unique id.</summary>
    private static H5Group Typed(H5FileBuilder builder, H5Group group, string ns, string type)
    {
        group.Attributes = new()
        {
            ["namespace"] = builder.VariableLengthStringAttribute(ns),
            ["neurodata_type"] = builder.VariableLengthStringAttribute(type),
            ["object_id"] = builder.VariableLengthStringAttribute(Guid.NewGuid().ToString()),
        };
        return group;
    }

    private static string Stem(Video video)
    {
        string name = video.Filename.Replace('\\', '/');
        return Path.GetFileNameWithoutExtension(name[(name.LastIndexOf('/') + 1)..]);
    }

    /// <summary>HDF5 names cannot hold '/' (a path separator) or be ".".</summary>
    private static string Name(string name, string what, string path) =>
        name.Length > 0 && !name.Contains('/') && name != "."
            ? name
            : throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot export '{path}': the {what} name '{name}' cannot name an NWB (HDF5) group, which needs a non-empty name without '/'. Rename the {what} first.", path);
}
