using System.Buffers.Binary;
using System.Globalization;
using PureHDF;

namespace SleapPS.Engine.IO.Dlc;

/// <summary>
/// pandas' fixed format (<c>to_hdf</c> without <c>format="table"</c>), as DeepLabCut saves its labelled data
/// (docs/design/file-formats.md §13.2): plain arrays, no pickles. The columns (<c>axis0</c>) and the rows
/// (<c>axis1</c>) are indexes, each either one array or, for a MultiIndex, one array of names per level
/// (<c>_level&lt;k&gt;</c>) and one of codes into it (<c>_label&lt;k&gt;</c>); the values are <c>block0_values</c>
/// (rows × columns), whose columns <c>block0_items</c> names the same way.
/// </summary>
internal static class DlcH5FixedFormat
{
    public static List<string[]> Cells(IH5Group group, string path)
    {
        long blocks = IntAttribute(group, "nblocks", path);
        if (blocks != 1)
            throw DlcH5.Invalid(path, $"it holds {blocks} blocks of values; DeepLabCut's table is one block of float64");
        var (levels, columns) = MultiIndex(group, "axis0", path);
        string[] expected = levels.Count == 4 ? ["scorer", "individuals", "bodyparts", "coords"] : ["scorer", "bodyparts", "coords"];
        if (!levels.SequenceEqual(expected))
            throw DlcH5.Invalid(path, $"its column levels are ({string.Join(", ", levels)}), not DeepLabCut's (scorer, [individuals,] bodyparts, coords)");
        var (_, items) = MultiIndex(group, "block0_items", path);
        var index = RowIndex(group, path);

        var values = Dataset(group, "block0_values", path);
        ulong[] dims = values.Space.Dimensions;
        if (values.Type.Class != H5DataTypeClass.FloatingPoint || values.Type.Size != 8 || dims.Length != 2
            || dims[0] != (ulong)index.Count || dims[1] != (ulong)items.Count)
            throw DlcH5.Invalid(path, $"its block0_values is not float64 of {index.Count} rows by {items.Count} columns");
        double[] data = values.Read<double[]>();
        var itemAt = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < items.Count; k++) itemAt[DlcH5.Key(items[k])] = k;
        var at = columns.Select(c => itemAt.TryGetValue(DlcH5.Key(c), out int k) ? k
            : throw DlcH5.Invalid(path, $"its column ({string.Join(", ", c)}) has no values")).ToArray();

        var cells = new List<string[]>();
        for (int level = 0; level < levels.Count; level++)
            cells.Add([levels[level], .. columns.Select(c => c[level])]);
        for (int r = 0; r < index.Count; r++)
        {
            var line = new string[columns.Count + 1];
            line[0] = index[r];
            for (int c = 0; c < columns.Count; c++)
            {
                double value = data[r * items.Count + at[c]];
                line[c + 1] = double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
            }
            cells.Add(line);
        }
        return cells;
    }

    /// <summary>The rows: frame numbers or image paths (a MultiIndex of path parts is joined with '/', as DLC's CSV index reads).</summary>
    private static List<string> RowIndex(IH5Group group, string path)
    {
        if (group.LinkExists("axis1"))
        {
            var axis = Dataset(group, "axis1", path);
            return axis.Type.Class == H5DataTypeClass.String
                ? axis.Read<string[]>().ToList()
                : Integers(axis, path).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList();
        }
        var (_, tuples) = MultiIndex(group, "axis1", path);
        return tuples.Select(t => string.Join('/', t)).ToList();
    }

    /// <summary>A MultiIndex stored as <c>&lt;name&gt;_level&lt;k&gt;</c> names and <c>&lt;name&gt;_label&lt;k&gt;</c> codes: its level names and its tuples.</summary>
    private static (List<string> Names, List<string[]> Tuples) MultiIndex(IH5Group group, string name, string path)
    {
        if (!group.AttributeExists(name + "_nlevels"))
            throw DlcH5.Invalid(path, $"its {(name == "axis0" ? "columns are" : $"'{name}' is")} not a MultiIndex; a DeepLabCut table's columns are (scorer, [individuals,] bodyparts, coords)");
        int count = (int)IntAttribute(group, name + "_nlevels", path);
        var names = new List<string>();
        var levelValues = new List<string[]>();
        var codes = new List<long[]>();
        for (int k = 0; k < count; k++)
        {
            var level = Dataset(group, $"{name}_level{k}", path);
            names.Add(level.AttributeExists("name") && level.Attribute("name").Type.Class == H5DataTypeClass.String
                ? DlcH5.Text(DlcH5.AttributeBytes(level, "name", path)) : "None");
            levelValues.Add(level.Type.Class == H5DataTypeClass.String
                ? level.Read<string[]>()
                : Integers(level, path).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
            codes.Add(Integers(Dataset(group, $"{name}_label{k}", path), path));
        }
        int length = codes.Count == 0 ? 0 : codes[0].Length;
        var tuples = new List<string[]>(length);
        for (int i = 0; i < length; i++)
        {
            var tuple = new string[count];
            for (int k = 0; k < count; k++)
            {
                long code = i < codes[k].Length ? codes[k][i] : -1;
                tuple[k] = code >= 0 && code < levelValues[k].Length ? levelValues[k][code]
                    : throw DlcH5.Invalid(path, $"its '{name}_label{k}' has the code {code} at {i}, outside its level");
            }
            tuples.Add(tuple);
        }
        return (names, tuples);
    }

    private static long[] Integers(IH5Dataset dataset, string path)
    {
        if (dataset.Type.Class != H5DataTypeClass.FixedPoint)
            throw DlcH5.Invalid(path, $"its '{dataset.Name}' is not integers");
        int size = dataset.Type.Size;
        bool signed = dataset.Type.FixedPoint.IsSigned;
        byte[] bytes = dataset.Read<byte[]>();
        var values = new long[size == 0 ? 0 : bytes.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            var b = bytes.AsSpan(i * size, size);
            values[i] = size switch
            {
                1 => signed ? (sbyte)b[0] : b[0],
                2 => signed ? BinaryPrimitives.ReadInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
                4 => signed ? BinaryPrimitives.ReadInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
                _ => BinaryPrimitives.ReadInt64LittleEndian(b),
            };
        }
        return values;
    }

    private static IH5Dataset Dataset(IH5Group group, string name, string path) =>
        group.LinkExists(name) && group.Get(name) is IH5Dataset dataset ? dataset
            : throw DlcH5.Invalid(path, $"'{group.Name}' lacks pandas' dataset '{name}'");

    private static long IntAttribute(IH5Group group, string name, string path) =>
        group.AttributeExists(name) && group.Attribute(name).Type.Class == H5DataTypeClass.FixedPoint
            ? group.Attribute(name).Read<long>()
            : throw DlcH5.Invalid(path, $"'{group.Name}' lacks pandas' integer attribute '{name}'");
}
