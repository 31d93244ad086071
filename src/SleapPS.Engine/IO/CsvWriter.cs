using System.Globalization;
using System.Text;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO;

/// <summary>
/// Writes SLEAP's analysis CSV (<c>sleap-convert --format analysis.csv</c>, docs/design/file-formats.md §10):
/// one row per occupied (frame, track slot), with the same columns and number text as SLEAP's pandas export.
/// </summary>
public static class CsvWriter
{
    /// <summary>
    /// Exports the arrays of <see cref="AnalysisArrays.Build"/> for <paramref name="video"/> (default: the
    /// first video) to <paramref name="path"/>; the file is complete or absent. Columns: <c>track</c>
    /// (empty when the labels have no tracks), <c>frame_idx</c>, <c>instance.score</c>, then
    /// <c>&lt;node&gt;.x</c>, <c>.y</c>, <c>.score</c> for every node in skeleton order. Missing values are
    /// empty fields, except a missing instance score, which pandas writes as <c>nan</c> in SLEAP's export.
    /// </summary>
    /// <param name="warn">Receives warnings about instances that do not fit the track slots one to one.</param>
    /// <exception cref="SleapException">Nothing to export (InvalidArgument), or the file cannot be written.</exception>
    public static void Write(Labels labels, string path, Video? video = null, Action<string>? warn = null)
    {
        var arrays = AnalysisArrays.Build(labels, video, warn);
        if (arrays.TrackCount == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot export '{path}': no labelled frame of '{arrays.Video.Filename}' has an instance of the first skeleton ({string.Join(", ", arrays.NodeNames)}), so there is nothing to write.", path);

        AtomicFile.Write(path, temp =>
        {
            using var writer = new StreamWriter(temp, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            writer.NewLine = "\n";
            WriteRows(arrays, writer);
        });
    }

    private static void WriteRows(AnalysisArrays arrays, TextWriter writer)
    {
        var header = new List<string> { "track", "frame_idx", "instance.score" };
        foreach (string node in arrays.NodeNames)
            header.AddRange([$"{node}.x", $"{node}.y", $"{node}.score"]);
        writer.WriteLine(string.Join(',', header.Select(Field)));

        var line = new StringBuilder();
        for (int f = 0; f < arrays.FrameCount; f++)
        {
            for (int t = 0; t < arrays.TrackCount; t++)
            {
                if (arrays.TrackOccupancy[t, f] == 0 || AllCoordinatesMissing(arrays, f, t)) continue;
                line.Clear();
                line.Append(arrays.TrackNames.Count > 0 ? Field(arrays.TrackNames[t]) : "")
                    .Append(',').Append(f.ToString(CultureInfo.InvariantCulture))
                    .Append(',').Append(PythonFloat.Repr(arrays.InstanceScores[f, t]));
                for (int n = 0; n < arrays.NodeCount; n++)
                    line.Append(',').Append(Number(arrays.Tracks[f, n, 0, t]))
                        .Append(',').Append(Number(arrays.Tracks[f, n, 1, t]))
                        .Append(',').Append(Number(arrays.PointScores[f, n, t]));
                writer.WriteLine(line);
            }
        }
    }

    private static bool AllCoordinatesMissing(AnalysisArrays arrays, int f, int t)
    {
        for (int n = 0; n < arrays.NodeCount; n++)
            if (!double.IsNaN(arrays.Tracks[f, n, 0, t]) || !double.IsNaN(arrays.Tracks[f, n, 1, t])) return false;
        return true;
    }

    // pandas' default: NaN is an empty field.
    private static string Number(double value) => double.IsNaN(value) ? "" : PythonFloat.Repr(value);

    // pandas quotes only fields that need it (csv.QUOTE_MINIMAL).
    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
