using System.Buffers.Binary;
using System.Numerics;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// A fractal heap ("FRHP"): where a group's links or an object's attributes live in dense storage
/// (docs/design/reliability.md §3). Opening one checks that its root block lies inside the file; <see cref="Object"/>
/// finds the bytes a heap ID names (managed objects through the direct and indirect blocks, tiny objects inside the ID,
/// huge objects whose ID holds their address), so the messages stored there can be checked like those in a header.
/// Heaps with I/O filters (which neither h5py nor PureHDF writes for links or attributes) are not followed.
/// </summary>
internal sealed class FractalHeap
{
    private const int MaxDepth = 16;

    private readonly Hdf5Bytes _file;
    private readonly int _idLength, _tableWidth, _offsetWidth, _lengthWidth, _maxDirectRows, _firstRowBits, _rootRows;
    private readonly ulong _startBlock;
    private readonly long _root;
    private readonly bool _checksummedBlocks;

    private FractalHeap(Hdf5Bytes file, ReadOnlySpan<byte> header)
    {
        _file = file;
        _idLength = BinaryPrimitives.ReadUInt16LittleEndian(header[5..]);
        _checksummedBlocks = (header[9] & 0x02) != 0;
        HugeObjects = Hdf5Bytes.Address(header[22..]);
        _tableWidth = BinaryPrimitives.ReadUInt16LittleEndian(header[110..]);
        _startBlock = BinaryPrimitives.ReadUInt64LittleEndian(header[112..]);
        ulong maxDirect = BinaryPrimitives.ReadUInt64LittleEndian(header[120..]);
        int maxHeapBits = BinaryPrimitives.ReadUInt16LittleEndian(header[128..]);
        _root = Hdf5Bytes.Address(header[132..]);
        _rootRows = BinaryPrimitives.ReadUInt16LittleEndian(header[140..]);
        _offsetWidth = (maxHeapBits + 7) / 8;
        _lengthWidth = maxDirect == 0 ? 0 : MinBytes(maxDirect - 1);
        int startBits = BitOperations.Log2(Math.Max(1, _startBlock));
        _firstRowBits = startBits + BitOperations.Log2((uint)Math.Max(1, _tableWidth));
        _maxDirectRows = BitOperations.Log2(Math.Max(1, maxDirect)) - startBits + 2;
        Usable = _tableWidth > 0 && BitOperations.IsPow2(_startBlock) && _offsetWidth is > 0 and <= 8 && _lengthWidth is > 0 and <= 8;
    }

    /// <summary>The address of the B-tree that indexes the heap's huge objects, or -1.</summary>
    public long HugeObjects { get; }

    /// <summary>Whether a huge object's ID holds its address and length (else the huge-object B-tree does).</summary>
    public bool HugeIdsAreDirect => _idLength - 1 >= 16;

    private bool Usable { get; }

    /// <param name="what">What the heap holds, for the error: "links" or "attributes".</param>
    /// <exception cref="InvalidDataException">The heap's root block does not lie inside the file.</exception>
    public static FractalHeap? Open(Hdf5Bytes file, long address, string what)
    {
        if (file.Read(address, 146) is not { } header || !header.AsSpan(0, 4).SequenceEqual("FRHP"u8) || header[4] != 0) return null;
        if (BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(7)) != 0) return null;  // I/O filters
        var heap = new FractalHeap(file, header);
        heap.CheckRootBlock(what);
        return heap.Usable ? heap : null;
    }

    /// <summary>A direct root block holds the starting block size; an indirect one its rows of 8-byte block addresses.</summary>
    private void CheckRootBlock(string what)
    {
        if (_root < 0) return;
        ulong size = _rootRows == 0
            ? _startBlock
            : 5 + 8 + (ulong)_offsetWidth + (ulong)_rootRows * (ulong)_tableWidth * 8 + 4;
        if (!_file.Holds((ulong)_root, size))
            throw FileEndsEarly.Exception(
                $"The heap of an object's {what} (a fractal heap) declares a root block of {size} bytes at offset {_root}, " +
                $"past the end of a file of {_file.Length} bytes");
    }

    /// <summary>The bytes a heap ID names, or null where this cannot tell (PureHDF then reports what is wrong).</summary>
    public byte[]? Object(ReadOnlySpan<byte> id)
    {
        if (id.Length < 1) return null;
        switch ((id[0] >> 4) & 0x03)
        {
            case 0 when id.Length >= 1 + _offsetWidth + _lengthWidth:
                return Managed(Hdf5Bytes.Unsigned(id[1..], _offsetWidth), Hdf5Bytes.Unsigned(id[(1 + _offsetWidth)..], _lengthWidth));
            case 1 when HugeIdsAreDirect && id.Length >= 17:
                return At(Hdf5Bytes.Address(id[1..]), Hdf5Bytes.Address(id[9..]));
            case 2:
                int length = (id[0] & 0x0F) + 1;
                return length < id.Length ? id.Slice(1, length).ToArray() : null;
            default:
                return null;
        }
    }

    /// <summary>The bytes of a huge object the huge-object B-tree lists (its record: address, then length).</summary>
    public byte[]? At(long address, long length) => length is > 0 and <= Hdf5Bytes.MaxRead ? _file.Read(address, length) : null;

    private byte[]? Managed(ulong offset, ulong length)
    {
        if (_root < 0 || length == 0) return null;
        var block = _rootRows == 0 ? (_root, _startBlock) : Find(_root, _rootRows, 0, offset, 0);
        if (block is not var (address, size) || address < 0) return null;
        int headerSize = 5 + 8 + _offsetWidth + (_checksummedBlocks ? 4 : 0);
        if (_file.Read(address, headerSize) is not { } header || !header.AsSpan(0, 4).SequenceEqual("FHDB"u8)) return null;
        ulong blockOffset = Hdf5Bytes.Unsigned(header.AsSpan(13), _offsetWidth);
        if (offset < blockOffset || offset - blockOffset < (ulong)headerSize || offset - blockOffset > size || length > size - (offset - blockOffset))
            return null;
        return At(address + (long)(offset - blockOffset), (long)length);
    }

    /// <summary>
    /// The direct block that holds heap offset <paramref name="offset"/>, searched from the indirect block at
    /// <paramref name="address"/> (rows of <see cref="_tableWidth"/> entries; row 0 and 1 hold blocks of the starting
    /// size, each later row blocks twice the size of the row before; rows from the first that exceeds the largest
    /// direct block hold indirect blocks).
    /// </summary>
    private (long, ulong)? Find(long address, int rows, ulong blockStart, ulong offset, int depth)
    {
        if (depth > MaxDepth || offset < blockStart) return null;
        ulong relative = offset - blockStart, rowStart = 0;
        for (int row = 0; row < rows && row < 64; row++)
        {
            ulong rowSize = row == 0 ? _startBlock : _startBlock << (row - 1);
            ulong rowSpan = rowSize * (ulong)_tableWidth;
            if (rowSize == 0 || rowSpan / (ulong)_tableWidth != rowSize) return null;
            if (relative < rowStart + rowSpan)
            {
                ulong column = (relative - rowStart) / rowSize;
                long entryAt = 5 + 8 + _offsetWidth + (row * _tableWidth + (long)column) * 8;
                if (_file.Read(address + entryAt, 8) is not { } entry) return null;
                long child = Hdf5Bytes.Address(entry);
                if (row < _maxDirectRows) return (child, rowSize);
                int childRows = BitOperations.Log2(rowSize) - _firstRowBits + 1;
                return childRows <= 0 ? null : Find(child, childRows, blockStart + rowStart + column * rowSize, offset, depth + 1);
            }
            rowStart += rowSpan;
        }
        return null;
    }

    private static int MinBytes(ulong value) => Math.Max(1, (BitOperations.Log2(value) + 8) / 8);
}
