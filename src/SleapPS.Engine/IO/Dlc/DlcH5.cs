using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PureHDF;
using SleapPS.Engine.Data;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Engine.IO.Hdf5;

namespace SleapPS.Engine.IO.Dlc;

/// <summary>
/// Reads DeepLabCut's .h5 tables: pandas DataFrames saved by PyTables in table format (docs/design/file-formats.md
/// §13.2). The column MultiIndex lives in protocol 0 pickles in the attributes; they are read by the restricted
/// unpickler in plain-values mode (no Python name, no call), then the table is handed to the CSV reader's parser as cells.
/// pandas' fixed format (DeepLabCut's labelled data) is read by <see cref="DlcH5FixedFormat"/>.
/// </summary>
public static class DlcH5
{
    /// <summary>True when a top-level group of the HDF5 file carries pandas' <c>pandas_type</c> attribute.</summary>
    public static bool IsPandasTable(string path)
    {
        try
        {
            using var file = CheckedHdf5.OpenRead(path);
            return PandasGroup(file) is not null;
        }
        catch (Exception)
        {
            // Not this format, or damaged (an OutOfMemoryException here is a declared size PureHDF could not
            // allocate): the .slp reader that is tried last names the file and what is wrong.
            return false;
        }
    }

    /// <exception cref="SleapException">Not a DLC table (InvalidData naming what is wrong), pandas' fixed format (NotSupported).</exception>
    public static Labels Read(string path, LabelsReadOptions? options = null)
    {
        string fullPath = LabelsFileChecks.RequireFile(path);
        List<string[]> cells;
        CheckedHdf5.Check(fullPath);
        try
        {
            using var file = H5File.OpenRead(fullPath);
            var group = PandasGroup(file) ?? throw Invalid(fullPath, "no top-level group carries pandas' 'pandas_type' attribute");
            cells = Cells(group, fullPath);
        }
        catch (Exception ex) when (ex is not SleapException and not OutOfMemoryException)
        {
            throw Invalid(fullPath, $"its HDF5 objects cannot be read ({ex.Message})");
        }
        var labels = DlcCsvReader.Parse(cells, fullPath);
        VideoPathResolver.ResolveAll(labels, options);
        return labels;
    }

    private static IH5Group? PandasGroup(IH5Group file)
    {
        foreach (var child in file.Children())
            if (child is IH5Group group && group.AttributeExists("pandas_type")) return group;
        return null;
    }

    /// <summary>The table as the CSV reader's cells: header rows scorer, [individuals,] bodyparts, coords, then one row per index entry.</summary>
    private static List<string[]> Cells(IH5Group group, string path)
    {
        string pandasType = Text(AttributeBytes(group, "pandas_type", path));
        if (pandasType == "frame")
            return DlcH5FixedFormat.Cells(group, path);
        if (pandasType != "frame_table")
            throw new SleapException(SleapErrorKind.NotSupported,
                $"Cannot read '{path}': it is a pandas '{pandasType}', not a DataFrame as DeepLabCut writes them. " +
                "In Python, save it again with df.to_hdf(path, key='df_with_missing', format='table') or write it as CSV (df.to_csv), then import that.", path);

        var levels = LevelNames(group, path);
        string[] expected = levels.Count == 4 ? ["scorer", "individuals", "bodyparts", "coords"] : ["scorer", "bodyparts", "coords"];
        if (!levels.SequenceEqual(expected))
            throw Invalid(path, $"its column levels are ({string.Join(", ", levels)}), not DeepLabCut's (scorer, [individuals,] bodyparts, coords)");

        var columns = ColumnTuples(Pickle(group, "non_index_axes", path), levels.Count, path, "non_index_axes");
        if (!group.LinkExists("table") || group.Get("table") is not IH5Dataset table || table.Type.Class != H5DataTypeClass.Compound)
            throw Invalid(path, $"its group '{group.Name}' has no compound dataset 'table'");
        var members = table.Type.Compound.Members.ToDictionary(m => m.Name, StringComparer.Ordinal);
        if (!members.TryGetValue("index", out var index))
            throw Invalid(path, "its table has no 'index' field");
        if (index.Type.Class is not (H5DataTypeClass.FixedPoint or H5DataTypeClass.String))
            throw Invalid(path, $"its index is of HDF5 class {index.Type.Class}; DeepLabCut's is a frame number or an image path");

        // Where each column's values are: a value block (compound field of float64s) and a position in it.
        var place = new Dictionary<string, (CompoundMember Block, int At)>(StringComparer.Ordinal);
        if (Pickle(group, "values_cols", path) is not PickleList blocks)
            throw Invalid(path, "its 'values_cols' attribute is not a list of value blocks");
        foreach (var blockName in blocks)
        {
            if (blockName is not string name || !members.TryGetValue(name, out var block))
                throw Invalid(path, $"its value block '{blockName}' is not a field of the table");
            var blockType = block.Type.Class == H5DataTypeClass.Array ? block.Type.Array.BaseType : block.Type;
            if (blockType.Class != H5DataTypeClass.FloatingPoint || blockType.Size != 8)
                throw Invalid(path, $"its value block '{name}' is not float64, as DeepLabCut's coordinates are");
            var blockColumns = ColumnTuples(Pickle(table, name + "_kind", path), levels.Count, path, name + "_kind");
            for (int k = 0; k < blockColumns.Count; k++)
                place[Key(blockColumns[k])] = (block, k);
        }
        foreach (var column in columns)
            if (!place.ContainsKey(Key(column)))
                throw Invalid(path, $"its column ({string.Join(", ", column)}) is in no value block");

        var cells = new List<string[]>();
        for (int level = 0; level < levels.Count; level++)
            cells.Add([levels[level], .. columns.Select(c => c[level])]);

        byte[] data = table.Read<byte[]>();
        int rowSize = table.Type.Size;
        int rows = rowSize == 0 ? 0 : data.Length / rowSize;
        for (int r = 0; r < rows; r++)
        {
            var row = data.AsSpan(r * rowSize, rowSize);
            var line = new string[columns.Count + 1];
            line[0] = IndexText(row.Slice(index.Offset, index.Type.Size), index.Type);
            for (int c = 0; c < columns.Count; c++)
            {
                var (block, at) = place[Key(columns[c])];
                double value = BinaryPrimitives.ReadDoubleLittleEndian(row.Slice(block.Offset + at * 8, 8));
                line[c + 1] = double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
            }
            cells.Add(line);
        }
        return cells;
    }

    internal static string Key(string[] column) => string.Join('\u001f', column);

    internal static string IndexText(ReadOnlySpan<byte> bytes, IH5DataType type)
    {
        if (type.Class == H5DataTypeClass.String)
        {
            int end = bytes.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
        }
        long value = bytes.Length switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
            4 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        };
        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The column level names pandas keeps in the <c>info</c> attribute: <c>{1: {"names": [...], "type": "MultiIndex"}}</c>.</summary>
    private static List<string> LevelNames(IH5Group group, string path)
    {
        if (Pickle(group, "info", path) is PickleDict info && info.Items.FirstOrDefault(p => p.Key is 1L).Value is PickleDict axis
            && axis.TryGet("names", out var names) && names is PickleList list)
            return list.Select(n => n as string ?? "None").ToList();
        throw Invalid(path, "its 'info' attribute does not name the column levels (a DeepLabCut table has a column MultiIndex)");
    }

    /// <summary>A list of column tuples: <c>non_index_axes</c> is <c>[(1, [tuples])]</c>, a block's <c>_kind</c> the bare list.</summary>
    private static List<string[]> ColumnTuples(object? pickled, int levels, string path, string attribute)
    {
        object? list = pickled is PickleList { Count: 1 } outer && outer[0] is object?[] { Length: 2 } axis && axis[0] is 1L ? axis[1] : pickled;
        if (list is not PickleList tuples)
            throw Invalid(path, $"its '{attribute}' attribute is not a list of columns");
        var columns = new List<string[]>(tuples.Count);
        foreach (var tuple in tuples)
        {
            if (tuple is not object?[] parts || parts.Length != levels || parts.Any(p => p is not string))
                throw Invalid(path, $"its '{attribute}' attribute holds a column that is not {levels} names (scorer, [individuals,] bodyparts, coords)");
            columns.Add(parts.Cast<string>().ToArray());
        }
        return columns;
    }

    private static object? Pickle(IH5Object owner, string name, string path) =>
        RestrictedUnpickler.PlainValues(AttributeBytes(owner, name, path), new PlainPickleErrors(path, what => Invalid(path, $"its attribute '{name}' cannot be read: {what}"))).Load();

    /// <summary>
    /// The bytes of a string attribute, up to its first NUL (PyTables writes fixed-length, NUL-padded strings).
    /// PureHDF decodes them as UTF-8; protocol 0 writes characters up to U+00FF as single Latin-1 bytes, which do not
    /// survive that, so such a name is refused rather than misread.
    /// </summary>
    internal static byte[] AttributeBytes(IH5Object owner, string name, string path)
    {
        if (!owner.AttributeExists(name))
            throw Invalid(path, $"'{owner.Name}' lacks pandas' attribute '{name}'");
        var attribute = owner.Attribute(name);
        if (attribute.Type.Class != H5DataTypeClass.String)
            throw Invalid(path, $"its attribute '{name}' is not a string");
        string text = attribute.Read<string>();
        int end = text.IndexOf('\0');
        if (end >= 0) text = text[..end];
        if (text.Contains('\uFFFD'))
            throw new SleapException(SleapErrorKind.NotSupported,
                $"Cannot read '{path}' as a DeepLabCut .h5 table: its attribute '{name}' holds a name with a non-ASCII character in Latin-1, which SleapPS does not read. " +
                "Export the table as CSV in Python (pandas.read_hdf(path).to_csv('table.csv')) and import that.", path);
        return Encoding.UTF8.GetBytes(text);
    }

    internal static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    internal static SleapException Invalid(string path, string problem) =>
        new(SleapErrorKind.InvalidData, $"Cannot read '{path}' as a DeepLabCut .h5 table: {problem}.", path);
}
