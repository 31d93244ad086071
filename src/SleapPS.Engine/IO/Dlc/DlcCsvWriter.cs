using System.Text;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO.Dlc;

/// <summary>
/// Writes one video's labels as a DeepLabCut CSV table (docs/design/file-formats.md §13), in one of DLC's two layouts:
/// labelled data (<c>CollectedData</c>: user instances, coords x and y, one row per labelled frame, indexed by the
/// image path <c>labeled-data/&lt;video&gt;/img&lt;frame&gt;.png</c>) when the video has user instances, else
/// predictions (<c>analyze_videos</c>: coords x, y and likelihood, one row per frame from 0 to the last one, indexed
/// by frame number). The header has rows scorer, bodyparts, coords, with an individuals row after scorer when the
/// labels are tracked or a frame holds several instances (DLC's multi-animal table).
/// </summary>
public static class DlcCsvWriter
{
    /// <summary>The scorer DLC's header names; DLC puts its network's name there.</summary>
    public const string Scorer = "SleapPS";

    /// <param name="warn">Receives what the table cannot hold (other skeletons, predictions beside user labels).</param>
    /// <exception cref="SleapException">Nothing to write (InvalidArgument), or the file cannot be written.</exception>
    public static void Write(Labels labels, string path, Video? video = null, Action<string>? warn = null)
    {
        var table = DlcTable.Build(labels, video, path, warn);
        AtomicFile.Write(path, temp =>
        {
            using var writer = new StreamWriter(temp, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            writer.NewLine = "\n";
            WriteHeader(writer, table);
            WriteRows(writer, table);
        });
    }

    private static void WriteHeader(TextWriter writer, DlcTable table)
    {
        var coords = table.HasLikelihood ? new[] { "x", "y", "likelihood" } : ["x", "y"];
        var columns = table.Individuals.SelectMany(individual => table.Bodyparts.SelectMany(bodypart => coords.Select(coord => (individual, bodypart, coord)))).ToList();
        writer.WriteLine("scorer," + string.Join(',', columns.Select(_ => Field(Scorer))));
        if (table.IsMultiAnimal)
            writer.WriteLine("individuals," + string.Join(',', columns.Select(c => Field(c.individual))));
        writer.WriteLine("bodyparts," + string.Join(',', columns.Select(c => Field(c.bodypart))));
        writer.WriteLine("coords," + string.Join(',', columns.Select(c => c.coord)));
    }

    private static void WriteRows(TextWriter writer, DlcTable table)
    {
        var line = new StringBuilder();
        foreach (var row in table.Rows())
        {
            line.Clear().Append(Field(row.Index));
            foreach (var instance in row.Slots)
            {
                for (int n = 0; n < table.Bodyparts.Count; n++)
                {
                    var point = instance?.Points[n] ?? Point.Missing;
                    bool present = point.IsPresent;
                    line.Append(',').Append(present ? PythonFloat.Repr(point.X) : "")
                        .Append(',').Append(present ? PythonFloat.Repr(point.Y) : "");
                    if (table.HasLikelihood)
                        line.Append(',').Append(instance is null || double.IsNaN(point.Score) ? "" : PythonFloat.Repr(point.Score));
                }
            }
            writer.WriteLine(line);
        }
    }

    // pandas quotes only fields that need it (csv.QUOTE_MINIMAL).
    internal static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
