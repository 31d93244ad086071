using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Builds one HDF5 file with PureHDF 2.2.0 and writes it, offering the objects SLEAP's files are
/// made of: fixed-length and variable-length strings, compound tables, gzip-compressed arrays and
/// the empty <c>(0,)</c> float64 datasets h5py writes for empty lists.
/// </summary>
/// <remarks>
/// PureHDF takes the length of every string type it creates from one setting,
/// <see cref="H5WriteOptions.DefaultStringLength"/> (0 = variable length), read when it creates each
/// object's type. SLEAP's files need both kinds, and each fixed-length dataset sized to its longest
/// string (<c>S&lt;maxlen&gt;</c>). So every string object made here carries its values in a
/// <see cref="StringValues"/>, which sets that option to its own length when PureHDF enumerates it;
/// PureHDF 2.2.0 enumerates an object's values just before it creates the object's type, one object
/// at a time. All strings of a file must therefore be made through this class.
/// </remarks>
internal sealed class H5FileBuilder
{
    private static readonly PropertyInfo DefaultStringLength =
        typeof(H5WriteOptions).GetProperty(nameof(H5WriteOptions.DefaultStringLength))!;

    private static readonly H5DatasetCreation Gzip9 = new(Filters:
    [
        new H5Filter(DeflateFilter.Id, new() { [DeflateFilter.COMPRESSION_LEVEL] = 9 }),
    ]);

    // Compound members take their names from [H5Name] so the C# fields can keep C# names.
    private readonly H5WriteOptions _options = new(
        FieldNameMapper: field => field.GetCustomAttribute<H5NameAttribute>()?.Name);

    public H5File Root { get; } = new();

    /// <summary>
    /// A dataset of fixed-length UTF-8 strings (h5py: <c>S&lt;n&gt;</c>, n = the longest value in bytes),
    /// 1-D unless <paramref name="shape"/> says otherwise (row-major), chunked as h5py would chunk it when
    /// <paramref name="chunked"/>. An empty list gives h5py's empty float64 dataset, as SLEAP writes for <c>[]</c>.
    /// </summary>
    public H5Dataset FixedLengthStrings(IReadOnlyList<string> values, ulong[]? shape = null, bool chunked = false)
    {
        if (values.Count == 0) return EmptyFloat64();
        var strings = FixedLengthValues(values);
        shape ??= [(ulong)values.Count];
        return new H5Dataset<IEnumerable<string>>(strings, chunks: chunked ? ChunkShape.Guess(shape, strings.Length) : null, fileDims: shape);
    }

    /// <summary>A scalar fixed-length UTF-8 string attribute (numpy <c>np.string_</c>).</summary>
    public H5Attribute FixedLengthStringAttribute(string value) =>
        new H5Attribute<IEnumerable<string>>(FixedLengthValues([value]), dimensions: []);

    /// <summary>A scalar variable-length UTF-8 string attribute (what h5py writes for a Python str).</summary>
    public H5Attribute VariableLengthStringAttribute(string value) =>
        new H5Attribute<IEnumerable<string>>(new StringValues(this, 0, [value]), dimensions: []);

    /// <summary>A 1-D array of variable-length UTF-8 strings (h5py's <c>dtype=h5py.string_dtype()</c>).</summary>
    public H5Dataset VariableLengthStrings(IReadOnlyList<string> values) =>
        new H5Dataset<IEnumerable<string>>(new StringValues(this, 0, values), fileDims: [(ulong)values.Count]);

    /// <summary>A scalar variable-length UTF-8 string dataset (what h5py writes for a Python str).</summary>
    public H5Dataset VariableLengthString(string value) =>
        new H5Dataset<IEnumerable<string>>(new StringValues(this, 0, [value]), fileDims: []);

    /// <summary>An empty 1-D float64 dataset: what h5py writes for an empty Python list.</summary>
    public static H5Dataset EmptyFloat64() => new(Array.Empty<double>());

    /// <summary>
    /// A 1-D table of a packed struct whose fields carry [H5Name]; chunked as h5py would chunk it
    /// (an empty table cannot be chunked and is written plain).
    /// </summary>
    public static H5Dataset Table<T>(T[] rows) where T : unmanaged =>
        rows.Length == 0
            ? new H5Dataset(rows)
            : new H5Dataset(rows, chunks: ChunkShape.Guess([(ulong)rows.Length], Unsafe.SizeOf<T>()));

    /// <summary>
    /// A 1-D table of <paramref name="rowCount"/> rows whose data come later, in order, through the writer of
    /// <see cref="BeginWrite"/>: chunked as <see cref="Table{T}"/> chunks, holding two chunks in memory at a time.
    /// </summary>
    public static H5Dataset<T[]> DeferredTable<T>(ulong rowCount) where T : unmanaged =>
        rowCount == 0
            ? throw new ArgumentOutOfRangeException(nameof(rowCount), "An empty table has nothing to write later: use Table.")
            : new H5Dataset<T[]>(fileDims: [rowCount], chunks: ChunkShape.Guess([rowCount], Unsafe.SizeOf<T>()),
                datasetCreation: new H5DatasetCreation(ChunkCache: new SequentialChunkCache()));

    /// <summary>
    /// An N-D array given as its row-major elements and shape, compressed with gzip level 9 like
    /// SLEAP's analysis arrays.
    /// </summary>
    /// <param name="chunks">The chunk shape; by default the one h5py would guess.</param>
    public static H5Dataset GzipArray<T>(T[] rowMajor, ulong[] shape, uint[]? chunks = null) where T : unmanaged
    {
        ulong count = shape.Aggregate(1UL, (a, b) => a * b);
        if (count != (ulong)rowMajor.Length)
            throw new ArgumentException($"The shape ({string.Join(", ", shape)}) holds {count} elements but {rowMajor.Length} were given.", nameof(shape));
        if (count == 0)
            return new H5Dataset(rowMajor, fileDims: shape);
        return new H5Dataset(rowMajor, fileDims: shape, chunks: chunks ?? ChunkShape.Guess(shape, Unsafe.SizeOf<T>()), datasetCreation: Gzip9);
    }

    /// <summary>An N-D array given as its row-major elements and shape, uncompressed.</summary>
    public static H5Dataset PlainArray<T>(T[] rowMajor, ulong[] shape) where T : unmanaged => new(rowMajor, fileDims: shape);

    public void Write(string path) => Root.Write(path, _options);

    /// <summary>Writes the file but the data of its deferred datasets, which go through the writer returned; disposing it finishes the file.</summary>
    public H5NativeWriter BeginWrite(string path) => Root.BeginWrite(path, _options);

    private StringValues FixedLengthValues(IReadOnlyList<string> values)
    {
        // numpy gives an all-empty list the type S1; a length of 0 would mean variable length.
        int length = Math.Max(1, values.Max(v => Encoding.UTF8.GetByteCount(v)));
        return new StringValues(this, length, values);
    }

    /// <summary>String values that set PureHDF's string length for their own object when enumerated.</summary>
    private sealed class StringValues(H5FileBuilder owner, int length, IReadOnlyList<string> values) : IEnumerable<string>
    {
        /// <summary>Bytes per string (0 = variable length).</summary>
        public int Length => length;

        public IEnumerator<string> GetEnumerator()
        {
            DefaultStringLength.SetValue(owner._options, length);
            return values.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
