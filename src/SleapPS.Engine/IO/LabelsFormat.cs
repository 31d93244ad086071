namespace SleapPS.Engine.IO;

/// <summary>The file formats SleapPS writes labels in.</summary>
public enum LabelsFormat
{
    /// <summary>SLEAP's labels file (.slp, HDF5, format 1.2): everything, readable by SLEAP's GUI and sleap-io.</summary>
    Slp,
    /// <summary>SLEAP's analysis HDF5 (.h5 / .analysis.h5): per-video arrays of tracks, for MATLAB, NumPy and movement.</summary>
    Analysis,
    /// <summary>SLEAP's analysis CSV: one row per frame and track.</summary>
    Csv,
    /// <summary>SLEAP's package (.pkg.slp): a .slp file that also holds the images of chosen frames.</summary>
    PackageSlp,
    /// <summary>COCO keypoints JSON (.json): images, keypoint annotations and skeleton categories, for COCO tools such as mmpose.</summary>
    Coco,
    /// <summary>DeepLabCut's CSV table (labelled data or predictions), one file per video; chosen with -Format, as .csv means SLEAP's CSV.</summary>
    DeepLabCut,
    /// <summary>NWB with the ndx-pose extension (.nwb): pose estimates per video, track and node, as sleap-io writes them.</summary>
    Nwb,
}

/// <summary>One file an export writes: its path and, for per-video formats, the video it covers.</summary>
public sealed record ExportTarget(string Path, Data.Video? Video);

/// <summary>Chooses formats from file names and plans which files an export writes.</summary>
public static class LabelsFormats
{
    /// <summary>The format a file name asks for: .pkg.slp (package), .slp, .h5/.hdf5 (analysis), .csv, .json (COCO) or .nwb.</summary>
    public static LabelsFormat FromPath(string path)
    {
        if (path.EndsWith(".pkg.slp", StringComparison.OrdinalIgnoreCase)) return LabelsFormat.PackageSlp;
        string extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".slp" => LabelsFormat.Slp,
            ".h5" or ".hdf5" => LabelsFormat.Analysis,
            ".csv" => LabelsFormat.Csv,
            ".json" => LabelsFormat.Coco,
            ".nwb" => LabelsFormat.Nwb,
            _ => throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot tell which format to write from the extension '{extension}' of '{path}'. " +
                "Use a .slp, .pkg.slp, .h5, .csv, .json or .nwb file name, or give -Format.", path),
        };
    }

    /// <summary>
    /// The files an export writes. A .slp holds everything in one file. Analysis HDF5 and CSV hold
    /// one video each: with one video the file is <paramref name="path"/> itself; with several, each
    /// video gets its own file named as SLEAP does, "&lt;name&gt;.&lt;video index:000&gt;_&lt;video file stem&gt;&lt;extension&gt;".
    /// </summary>
    public static IReadOnlyList<ExportTarget> PlanTargets(Data.Labels labels, string path, LabelsFormat format, Data.Video? video = null)
    {
        if (format is LabelsFormat.Slp or LabelsFormat.PackageSlp or LabelsFormat.Coco or LabelsFormat.Nwb) return [new ExportTarget(path, null)];
        if (video is not null)
        {
            if (!labels.Videos.Contains(video))
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"The video '{video.Filename}' is not one of the labels' videos.", video.Filename);
            return [new ExportTarget(path, video)];
        }
        if (labels.Videos.Count <= 1) return [new ExportTarget(path, labels.Videos.FirstOrDefault())];

        string directory = System.IO.Path.GetDirectoryName(path) ?? "";
        string fileName = System.IO.Path.GetFileName(path);
        string extension = fileName.EndsWith(".analysis.h5", StringComparison.OrdinalIgnoreCase) ? ".analysis.h5" : System.IO.Path.GetExtension(fileName);
        string stem = fileName[..^extension.Length];
        return labels.Videos
            .Select((v, i) => new ExportTarget(
                System.IO.Path.Combine(directory, $"{stem}.{i:000}_{VideoStem(v)}{extension}"), v))
            .ToList();
    }

    private static string VideoStem(Data.Video video)
    {
        string name = video.Filename.Replace('\\', '/');
        return System.IO.Path.GetFileNameWithoutExtension(name[(name.LastIndexOf('/') + 1)..]);
    }
}
