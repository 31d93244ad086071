using System.Buffers.Binary;
using PureHDF;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// A whole 1-D compound dataset read in one call as raw rows, with typed access to its fields by the
/// offsets the file declares. This copes with every layout SLEAP has written (format 1.1 has no
/// <c>tracking_score</c>) without a struct per layout, and allocates nothing per row.
/// A plain 2-D numeric dataset is read the same way, its columns named by the expected field order.
/// </summary>
internal sealed class CompoundTable
{
    private readonly byte[] _data;
    private readonly int _rowSize;
    private readonly Dictionary<string, Field> _fields;

    private CompoundTable(string name, byte[] data, int rowSize, Dictionary<string, Field> fields)
    {
        Name = name;
        _data = data;
        _rowSize = rowSize;
        _fields = fields;
        RowCount = rowSize == 0 ? 0 : data.Length / rowSize;
    }

    public string Name { get; }
    public int RowCount { get; }

    public enum FieldKind { Signed, Unsigned, Float }

    public readonly record struct Field(int Offset, int Size, FieldKind Kind);

    /// <param name="columnOrder">Field names for the columns of a plain 2-D array (docs/design/file-formats.md §6 step 4).</param>
    /// <param name="fileLength">The file's size, which bounds what the dataset may declare (docs/design/reliability.md §3).</param>
    public static CompoundTable Read(IH5Dataset dataset, string name, IReadOnlyList<string> columnOrder, long fileLength)
    {
        DeclaredExtent.Check(dataset, name, fileLength);
        IH5DataType type = dataset.Type;
        if (type.Class == H5DataTypeClass.Compound)
        {
            var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
            foreach (CompoundMember member in type.Compound.Members)
                if (KindOf(member.Type) is FieldKind kind)
                    fields[member.Name] = new Field(member.Offset, member.Type.Size, kind);
            return new CompoundTable(name, dataset.Read<byte[]>(), type.Size, fields);
        }

        ulong[] dims = dataset.Space.Dimensions;
        if (dims.Length == 1 && dims[0] == 0)
            return new CompoundTable(name, [], 0, new());
        if (dims.Length == 2 && KindOf(type) is FieldKind columnKind)
        {
            int size = type.Size;
            var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
            for (int c = 0; c < (int)dims[1] && c < columnOrder.Count; c++)
                fields[columnOrder[c]] = new Field(c * size, size, columnKind);
            return new CompoundTable(name, dataset.Read<byte[]>(), size * (int)dims[1], fields);
        }
        throw new InvalidDataException($"The dataset '{name}' is neither a compound table nor a 2-D numeric array (it is {type.Class}, shape [{string.Join(", ", dims)}]).");
    }

    public bool Has(string field) => _fields.ContainsKey(field);

    public Field Require(string field) => _fields.TryGetValue(field, out Field f)
        ? f
        : throw new InvalidDataException($"The dataset '{Name}' has no field '{field}'.");

    public long GetInt64(int row, Field field)
    {
        ReadOnlySpan<byte> bytes = _data.AsSpan(row * _rowSize + field.Offset, field.Size);
        return field.Kind switch
        {
            FieldKind.Float => (long)GetDouble(row, field),
            FieldKind.Signed => field.Size switch
            {
                1 => (sbyte)bytes[0],
                2 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
                4 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                _ => BinaryPrimitives.ReadInt64LittleEndian(bytes),
            },
            _ => field.Size switch
            {
                1 => bytes[0],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
                4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
                _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            },
        };
    }

    public double GetDouble(int row, Field field)
    {
        ReadOnlySpan<byte> bytes = _data.AsSpan(row * _rowSize + field.Offset, field.Size);
        return field.Kind switch
        {
            FieldKind.Float => field.Size == 4 ? BinaryPrimitives.ReadSingleLittleEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes),
            _ => GetInt64(row, field),
        };
    }

    public bool GetBool(int row, Field field) => GetInt64(row, field) != 0;

    private static FieldKind? KindOf(IH5DataType type) => type.Class switch
    {
        H5DataTypeClass.FixedPoint => type.FixedPoint.IsSigned ? FieldKind.Signed : FieldKind.Unsigned,
        H5DataTypeClass.FloatingPoint => FieldKind.Float,
        // numpy bools are stored as an enum over int8.
        H5DataTypeClass.Enumerated => KindOf(type.Enumeration.BaseType),
        H5DataTypeClass.BitField => FieldKind.Unsigned,
        _ => null,
    };
}
