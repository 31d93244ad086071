using System.Buffers.Binary;

namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>The element types torch storages hold that the reader understands.</summary>
internal enum TorchElement
{
    Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool,
}

/// <summary>
/// The element type of a torch storage class (<c>torch.FloatStorage</c>, ...) and how it is kept in .NET
/// (docs/design/sleap-nn-checkpoint.md §4): float32 and int64 as they are; float16, bfloat16 and float64 converted
/// to float32; the smaller integer types and bool widened to int64. Values are stored little-endian.
/// </summary>
internal sealed record TorchStorageType(string ClassName, string DType, TorchElement Element, int ElementSize)
{
    private static readonly Dictionary<string, TorchStorageType> ByClass = new TorchStorageType[]
    {
        new("FloatStorage", "float32", TorchElement.Float32, 4),
        new("DoubleStorage", "float64", TorchElement.Float64, 8),
        new("HalfStorage", "float16", TorchElement.Float16, 2),
        new("BFloat16Storage", "bfloat16", TorchElement.BFloat16, 2),
        new("LongStorage", "int64", TorchElement.Int64, 8),
        new("IntStorage", "int32", TorchElement.Int32, 4),
        new("ShortStorage", "int16", TorchElement.Int16, 2),
        new("CharStorage", "int8", TorchElement.Int8, 1),
        new("ByteStorage", "uint8", TorchElement.UInt8, 1),
        new("BoolStorage", "bool", TorchElement.Bool, 1),
    }.ToDictionary(t => t.ClassName, StringComparer.Ordinal);

    /// <summary>The storage type of <c>torch.&lt;className&gt;</c>, or null when it is not one the reader knows.</summary>
    public static TorchStorageType? Find(string className) => ByClass.GetValueOrDefault(className);

    /// <summary>Whether the values become float32 (otherwise int64).</summary>
    public bool IsFloat => Element is TorchElement.Float32 or TorchElement.Float64 or TorchElement.Float16 or TorchElement.BFloat16;

    /// <summary>Element <paramref name="index"/> of <paramref name="bytes"/> as a float32.</summary>
    public float ReadFloat(ReadOnlySpan<byte> bytes, int index) => Element switch
    {
        TorchElement.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes[(index * 4)..]),
        TorchElement.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(index * 8)..]),
        TorchElement.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(index * 2)..]),
        // bfloat16 is the upper half of a float32's bits.
        TorchElement.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(index * 2)..]) << 16),
        _ => throw new InvalidOperationException($"{DType} is not a float type."),
    };

    /// <summary>Element <paramref name="index"/> of <paramref name="bytes"/> as an int64.</summary>
    public long ReadInt64(ReadOnlySpan<byte> bytes, int index) => Element switch
    {
        TorchElement.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes[(index * 8)..]),
        TorchElement.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes[(index * 4)..]),
        TorchElement.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes[(index * 2)..]),
        TorchElement.Int8 => (sbyte)bytes[index],
        TorchElement.UInt8 => bytes[index],
        TorchElement.Bool => bytes[index] != 0 ? 1 : 0,
        _ => throw new InvalidOperationException($"{DType} is not an integer type."),
    };
}
