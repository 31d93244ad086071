using System.Globalization;
using PureHDF;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;

namespace SleapPS.Engine.IO.Dlc;

/// <summary>
/// Writes one video's labels as a DeepLabCut .h5 table in pandas' fixed format (docs/design/file-formats.md §13.3):
/// the same table as <see cref="DlcCsvWriter"/> (labelled data or predictions, single- or multi-animal), stored as
/// pandas' <c>to_hdf(path, key="df_with_missing")</c> stores a DataFrame, which <c>pandas.read_hdf</c> and so
/// DeepLabCut read. The fixed format holds only plain arrays and string or integer attributes; the one pickle is
/// PyTables' spelling of None (<c>N.</c>) for the unnamed row index.
/// </summary>
public static class DlcH5Writer
{
    /// <summary>The key DeepLabCut saves its tables under.</summary>
    public const string Key = "df_with_missing";

    /// <summary>A .h5 or .hdf5 name asks for DeepLabCut's .h5 table; any other, for its CSV.</summary>
    public static bool IsH5Name(string path) =>
        path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase);

    /// <param name="warn">Receives what the table cannot hold (other skeletons, predictions beside user labels).</param>
    /// <exception cref="SleapException">Nothing to write (InvalidArgument), or the file cannot be written.</exception>
    public static void Write(Labels labels, string path, Video? video = null, Action<string>? warn = null)
    {
        var table = DlcTable.Build(labels, video, path, warn);
        var builder = new H5FileBuilder();
        builder.Root.Attributes = new()
        {
            ["CLASS"] = builder.FixedLengthStringAttribute("GROUP"),
            ["PYTABLES_FORMAT_VERSION"] = builder.FixedLengthStringAttribute("2.1"),
            ["TITLE"] = builder.FixedLengthStringAttribute(""),
            ["VERSION"] = builder.FixedLengthStringAttribute("1.0"),
        };
        builder.Root[Key] = Frame(builder, table);
        AtomicFile.Write(path, builder.Write);
    }

    private static H5Group Frame(H5FileBuilder builder, DlcTable table)
    {
        var coords = table.HasLikelihood ? new[] { "x", "y", "likelihood" } : ["x", "y"];
        var columns = table.Individuals.SelectMany(individual => table.Bodyparts.SelectMany(bodypart => coords.Select(coord => (individual, bodypart, coord)))).ToList();
        var levels = new List<(string Name, List<string> Values, int[] Codes)> { Level("scorer", columns.Select(_ => DlcCsvWriter.Scorer)) };
        if (table.IsMultiAnimal) levels.Add(Level("individuals", columns.Select(c => c.individual)));
        levels.Add(Level("bodyparts", columns.Select(c => c.bodypart)));
        levels.Add(Level("coords", columns.Select(c => c.coord)));

        var rows = table.Rows().ToList();
        var values = new double[rows.Count * columns.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            int at = r * columns.Count;
            foreach (var instance in rows[r].Slots)
                for (int n = 0; n < table.Bodyparts.Count; n++)
                {
                    var point = instance?.Points[n] ?? Point.Missing;
                    values[at++] = point.IsPresent ? point.X : double.NaN;
                    values[at++] = point.IsPresent ? point.Y : double.NaN;
                    if (table.HasLikelihood) values[at++] = instance is null ? double.NaN : point.Score;
                }
        }

        var group = new H5Group
        {
            Attributes = new()
            {
                ["CLASS"] = builder.FixedLengthStringAttribute("GROUP"),
                ["TITLE"] = builder.FixedLengthStringAttribute(""),
                ["VERSION"] = builder.FixedLengthStringAttribute("1.0"),
                ["pandas_type"] = builder.FixedLengthStringAttribute("frame"),
                ["pandas_version"] = builder.FixedLengthStringAttribute("0.15.2"),
                ["encoding"] = builder.FixedLengthStringAttribute("UTF-8"),
                ["errors"] = builder.FixedLengthStringAttribute("strict"),
                ["ndim"] = 2L,
                ["nblocks"] = 1L,
                ["axis0_variety"] = builder.FixedLengthStringAttribute("multi"),
                ["axis0_nlevels"] = (long)levels.Count,
                ["axis1_variety"] = builder.FixedLengthStringAttribute("regular"),
                ["block0_items_variety"] = builder.FixedLengthStringAttribute("multi"),
                ["block0_items_nlevels"] = (long)levels.Count,
            },
        };
        // The columns are stored twice, as the frame's axis and as the block's items (one block holds them all).
        foreach (string axis in new[] { "axis0", "block0_items" })
            for (int k = 0; k < levels.Count; k++)
            {
                var (name, levelValues, codes) = levels[k];
                var level = builder.FixedLengthStrings(levelValues);
                level.Attributes = ArrayAttributes(builder);
                level.Attributes[$"{axis}_name{name}"] = builder.FixedLengthStringAttribute(name);
                level.Attributes["kind"] = builder.FixedLengthStringAttribute("string");
                level.Attributes["name"] = builder.FixedLengthStringAttribute(name);
                group[$"{axis}_level{k}"] = level;
                var label = Codes(codes);
                label.Attributes = ArrayAttributes(builder);
                group[$"{axis}_label{k}"] = label;
            }

        // Predictions are indexed by frame number, labelled data by image path (§13.1).
        H5Dataset index = table.HasLikelihood
            ? H5FileBuilder.PlainArray(rows.Select(r => long.Parse(r.Index, CultureInfo.InvariantCulture)).ToArray(), [(ulong)rows.Count])
            : builder.FixedLengthStrings(rows.Select(r => r.Index).ToList());
        index.Attributes = ArrayAttributes(builder);
        index.Attributes["kind"] = builder.FixedLengthStringAttribute(table.HasLikelihood ? "integer" : "string");
        index.Attributes["name"] = builder.FixedLengthStringAttribute("N."); // PyTables' pickle of None: the index has no name
        group["axis1"] = index;

        var block = H5FileBuilder.PlainArray(values, [(ulong)rows.Count, (ulong)columns.Count]);
        block.Attributes = ArrayAttributes(builder);
        group["block0_values"] = block;
        return group;
    }

    /// <summary>One column level: its distinct names in first-seen order and each column's code into them.</summary>
    private static (string Name, List<string> Values, int[] Codes) Level(string name, IEnumerable<string> perColumn)
    {
        var values = new List<string>();
        var codes = perColumn.Select(v =>
        {
            int at = values.IndexOf(v);
            if (at < 0) { at = values.Count; values.Add(v); }
            return at;
        }).ToArray();
        return (name, values, codes);
    }

    /// <summary>Codes as the narrowest integers that hold them, as pandas stores them.</summary>
    private static H5Dataset Codes(int[] codes) => codes.DefaultIfEmpty().Max() switch
    {
        < sbyte.MaxValue => H5FileBuilder.PlainArray(codes.Select(c => (sbyte)c).ToArray(), [(ulong)codes.Length]),
        < short.MaxValue => H5FileBuilder.PlainArray(codes.Select(c => (short)c).ToArray(), [(ulong)codes.Length]),
        _ => H5FileBuilder.PlainArray(codes, [(ulong)codes.Length]),
    };

    /// <summary>PyTables' attributes of a plain array, and pandas' mark that it is stored as is.</summary>
    private static Dictionary<string, object> ArrayAttributes(H5FileBuilder builder) => new()
    {
        ["CLASS"] = builder.FixedLengthStringAttribute("ARRAY"),
        ["FLAVOR"] = builder.FixedLengthStringAttribute("numpy"),
        ["TITLE"] = builder.FixedLengthStringAttribute(""),
        ["VERSION"] = builder.FixedLengthStringAttribute("2.4"),
        ["transposed"] = 1L,
    };
}
