using System.Text.Encodings.Web;
using System.Text.Json;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.IO;

/// <summary>
/// Writes SLEAP's analysis HDF5 file for one video (<c>sleap-convert --format analysis</c>,
/// docs/design/file-formats.md §9): the same datasets, shapes, types and compression as SLEAP 1.4 writes.
/// </summary>
public static class AnalysisH5Writer
{
    private static readonly JsonSerializerOptions ProvenanceJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Exports the arrays of <see cref="AnalysisArrays.Build"/> for <paramref name="video"/> (default: the
    /// first video) to <paramref name="path"/>; the file is complete or absent.
    /// </summary>
    /// <param name="warn">Receives warnings about instances that do not fit the track slots one to one.</param>
    /// <exception cref="SleapException">Nothing to export (InvalidArgument), or the file cannot be written.</exception>
    public static void Write(Labels labels, string path, Video? video = null, Action<string>? warn = null)
    {
        var arrays = AnalysisArrays.Build(labels, video, warn);
        var builder = new H5FileBuilder();
        var root = builder.Root;

        root["track_names"] = builder.FixedLengthStrings(arrays.TrackNames);
        root["node_names"] = builder.FixedLengthStrings(arrays.NodeNames);
        root["edge_names"] = builder.FixedLengthStrings(
            arrays.EdgeNames.SelectMany(e => new[] { e.Source, e.Destination }).ToList(), [(ulong)arrays.EdgeNames.Count, 2]);
        // int32 as in SLEAP's own fixture (SLEAP writes the platform's int).
        root["edge_inds"] = arrays.EdgeIndices.Count == 0
            ? H5FileBuilder.EmptyFloat64()
            : H5FileBuilder.PlainArray(arrays.EdgeIndices.SelectMany(e => new[] { e.Source, e.Destination }).ToArray(), [(ulong)arrays.EdgeIndices.Count, 2]);

        // The arrays are stored with their axes reversed, as SLEAP stores them for MATLAB.
        root["tracks"] = Transposed<double>(arrays.Tracks);
        root["track_occupancy"] = Transposed<byte>(arrays.TrackOccupancy);
        root["point_scores"] = Transposed<double>(arrays.PointScores);
        root["instance_scores"] = Transposed<double>(arrays.InstanceScores);
        root["tracking_scores"] = Transposed<double>(arrays.TrackingScores);

        // SLEAP writes str(labels_path), which is "None" when it does not know the file.
        root["labels_path"] = builder.VariableLengthString(labels.SourcePath ?? "None");
        root["video_path"] = builder.VariableLengthString(arrays.Video.Filename);
        root["video_ind"] = arrays.VideoIndex;
        root["provenance"] = builder.VariableLengthString(JsonValues.FromPlain(labels.Provenance)!.ToJsonString(ProvenanceJson));

        AtomicFile.Write(path, builder.Write);
    }

    private static PureHDF.H5Dataset Transposed<T>(Array logical) where T : unmanaged
    {
        var (elements, shape) = ColumnMajor.Transpose<T>(logical);
        return H5FileBuilder.GzipArray(elements, shape);
    }
}
