using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.IO;

/// <summary>Reads any SLEAP labels file, choosing the reader from the file's content rather than its name.</summary>
public static class LabelsReader
{
    /// <exception cref="SleapException">The path is missing or a folder, or the file is not a labels file this module reads.</exception>
    public static Labels Read(string path, LabelsReadOptions? options = null)
    {
        string fullPath = LabelsFileChecks.RequireFile(path);
        Labels labels = DetectFormat(fullPath) switch
        {
            LabelsFileFormat.Hdf5 when AnalysisH5Reader.IsAnalysisFile(fullPath) => ReadAnalysis(fullPath, options),
            LabelsFileFormat.Hdf5 when Nwb.NwbReader.IsNwb(fullPath) => Nwb.NwbReader.Read(fullPath, options),
            LabelsFileFormat.Hdf5 when Dlc.DlcH5.IsPandasTable(fullPath) => Dlc.DlcH5.Read(fullPath, options),
            LabelsFileFormat.Hdf5 => SlpReader.Read(fullPath, options),
            LabelsFileFormat.DeepLabCutCsv => Dlc.DlcCsvReader.Read(fullPath, options),
            LabelsFileFormat.Json when JsonTopLevel.HasKeys(fullPath, "images", "annotations", "categories") => Coco.CocoReader.Read(fullPath, options),
            LabelsFileFormat.Json or LabelsFileFormat.Zip => LegacyJsonReader.Read(fullPath, options),
            _ => throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}': it is not a SLEAP labels file. Accepted formats are SLEAP .slp files, SLEAP analysis .h5 files, NWB files with ndx-pose, the older .json / .json.zip labels, COCO keypoints .json and DeepLabCut .csv and .h5 tables.", fullPath),
        };
        if (options?.ReadVideoHeaders ?? true)
        {
            // Only what is unknown: the header never changes what the labels file stored, nor what is written back.
            foreach (Video video in labels.Videos)
                Frames.VideoHeaders.TryFill(video);
        }
        return labels;
    }

    /// <summary>An analysis HDF5 export (docs/design/file-formats.md §9), with its video looked for as a .slp's would be.</summary>
    private static Labels ReadAnalysis(string fullPath, LabelsReadOptions? options)
    {
        var labels = AnalysisH5Reader.Read(fullPath);
        VideoPathResolver.ResolveAll(labels, options);
        return labels;
    }

    private enum LabelsFileFormat { Unknown, Hdf5, Json, Zip, DeepLabCutCsv }

    private static LabelsFileFormat DetectFormat(string fullPath)
    {
        try
        {
            if (Hdf5Signature.IsHdf5(fullPath)) return LabelsFileFormat.Hdf5;
            if (LegacyJsonReader.IsZip(fullPath)) return LabelsFileFormat.Zip;
            if (Dlc.DlcCsvReader.IsDlcCsv(fullPath)) return LabelsFileFormat.DeepLabCutCsv;
            return StartsWithJsonObject(fullPath) ? LabelsFileFormat.Json : LabelsFileFormat.Unknown;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{fullPath}': {ex.Message}", fullPath, ex);
        }
    }

    /// <summary>True when the first character after optional whitespace (and a UTF-8 byte order mark) is '{'.</summary>
    private static bool StartsWithJsonObject(string fullPath)
    {
        using var reader = new StreamReader(fullPath, detectEncodingFromByteOrderMarks: true);
        int c;
        while ((c = reader.Read()) >= 0 && char.IsWhiteSpace((char)c)) { }
        return c == '{';
    }
}
