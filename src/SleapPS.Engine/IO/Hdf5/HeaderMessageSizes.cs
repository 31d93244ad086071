using System.Buffers.Binary;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>The data of a message another object header holds for a shared one (a committed datatype), or null.</summary>
internal delegate byte[]? SharedMessageLookup(int messageType, ReadOnlySpan<byte> reference);

/// <summary>
/// The sizes inside one header message that PureHDF allocates as it decodes the message, each required to fit in the
/// bytes that hold the message (docs/design/reliability.md §3): an attribute's data, a compact dataset's data, a fill
/// value, a link's name; and the global heap collections a variable-length attribute's values are in are handed on.
/// Anything else about a message is left to PureHDF, which reports it.
/// </summary>
internal static class HeaderMessageSizes
{
    public const int Dataspace = 0x01, LinkInfo = 0x02, Datatype = 0x03, OldFillValue = 0x04, FillValue = 0x05, Link = 0x06,
        Layout = 0x08, Attribute = 0x0C, SymbolTable = 0x11, AttributeInfo = 0x15;

    /// <summary>The datatype class of variable-length strings and sequences, kept in global heap collections.</summary>
    public const int VariableLength = 9;

    /// <summary>
    /// Attribute message versions 1-3: name, datatype and dataspace (each padded to 8 bytes in version 1), then the
    /// data, which fills the message. A datatype or dataspace stored elsewhere (flags bits 0/1) is looked up.
    /// </summary>
    /// <param name="holder">What holds the message, for the error: "its header", "its place in the attribute heap".</param>
    /// <param name="globalHeap">Called with the address of the global heap collection each variable-length value is in.</param>
    /// <exception cref="InvalidDataException">The attribute declares more data than the message holds.</exception>
    public static void CheckAttribute(ReadOnlySpan<byte> message, string holder, SharedMessageLookup shared, Action<long> globalHeap)
    {
        if (message.Length < 8) return;
        int version = message[0];
        if (version is < 1 or > 3) return;
        int flags = version == 1 ? 0 : message[1];
        int nameSize = BinaryPrimitives.ReadUInt16LittleEndian(message[2..]);
        int typeSize = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
        int spaceSize = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        int Pad(int n) => version == 1 ? (n + 7) & ~7 : n;
        int typeAt = (version == 3 ? 9 : 8) + Pad(nameSize), spaceAt = typeAt + Pad(typeSize), dataAt = spaceAt + Pad(spaceSize);
        if (dataAt > message.Length) return;
        var type = (flags & 1) != 0 ? shared(Datatype, message.Slice(typeAt, typeSize)) : message.Slice(typeAt, typeSize).ToArray();
        var space = (flags & 2) != 0 ? shared(Dataspace, message.Slice(spaceAt, spaceSize)) : message.Slice(spaceAt, spaceSize).ToArray();
        if (type is null || space is null || type.Length < 8 || Elements(space) is not { } elements) return;
        ulong elementSize = BinaryPrimitives.ReadUInt32LittleEndian(type.AsSpan(4));
        ulong declared = elementSize != 0 && elements > ulong.MaxValue / elementSize ? ulong.MaxValue : elements * elementSize;
        if (declared > (ulong)(message.Length - dataAt))
            throw new InvalidDataException(
                $"An attribute declares {elements} values of {elementSize} bytes, more than the {message.Length - dataAt} bytes {holder} holds; the file is damaged.");
        // A variable-length value (class 9) is its length, its global heap collection's address and its index there.
        if ((type[0] & 0x0F) == VariableLength && elementSize == 16)
            for (int at = dataAt; at + 16 <= message.Length && at - dataAt < (int)declared; at += 16)
                globalHeap(Hdf5Bytes.Address(message[(at + 4)..]));
    }

    /// <summary>A dataspace message's element count (version 1: dimensions at 8; version 2: at 4, type 2 is empty), or null.</summary>
    private static ulong? Elements(ReadOnlySpan<byte> space)
    {
        if (space.Length < 4) return null;
        int version = space[0], rank = space[1];
        int dimsAt = version == 1 ? 8 : version == 2 ? 4 : -1;
        if (dimsAt < 0 || dimsAt + 8 * rank > space.Length) return null;
        if (version == 2 && space[3] == 2) return 0;
        ulong elements = 1;
        for (int d = 0; d < rank; d++)
        {
            ulong dimension = BinaryPrimitives.ReadUInt64LittleEndian(space[(dimsAt + 8 * d)..]);
            elements = dimension != 0 && elements > ulong.MaxValue / dimension ? ulong.MaxValue : elements * dimension;
        }
        return elements;
    }

    /// <summary>
    /// A compact dataset's data size: a 4-byte field after the dimensions in layout versions 1/2 (class 0 at byte 2),
    /// a 2-byte field at byte 2 in versions 3/4 (class 0 at byte 1); the data follows it in the message.
    /// </summary>
    /// <exception cref="InvalidDataException">The data size is more than the message holds.</exception>
    public static void CheckLayout(ReadOnlySpan<byte> message)
    {
        if (message.Length < 4) return;
        int sizeAt, width;
        if (message[0] is 1 or 2 && message.Length >= 8 && message[2] == 0) (sizeAt, width) = (8 + 4 * message[1], 4);
        else if (message[0] is 3 or 4 && message[1] == 0) (sizeAt, width) = (2, 2);
        else return;
        if (sizeAt + width > message.Length) return;
        ulong size = Hdf5Bytes.Unsigned(message[sizeAt..], width);
        if (size > (ulong)(message.Length - sizeAt - width))
            throw new InvalidDataException(
                $"A compact dataset declares {size} bytes of data, more than the {message.Length - sizeAt - width} bytes its header holds; the file is damaged.");
    }

    /// <summary>
    /// A dataset's fill value: the old message is a 4-byte size and the value; versions 1/2 of the new one say at byte 3
    /// whether a value is defined, then its size at 4; version 3 says so in flags bit 5 (bit 4: undefined), size at 2.
    /// </summary>
    /// <exception cref="InvalidDataException">The fill value's size is more than the message holds.</exception>
    public static void CheckFillValue(int type, ReadOnlySpan<byte> message)
    {
        int sizeAt = type == OldFillValue ? 0
            : message.Length < 2 ? -1
            : message[0] is 1 or 2 ? (message.Length >= 4 && message[3] == 1 ? 4 : -1)
            : message[0] == 3 && (message[1] & 0x30) == 0x20 ? 2 : -1;
        if (sizeAt < 0 || sizeAt + 4 > message.Length) return;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(message[sizeAt..]);
        if (size > message.Length - sizeAt - 4)
            throw new InvalidDataException(
                $"A fill value declares {size} bytes, more than the {message.Length - sizeAt - 4} bytes its header holds; the file is damaged.");
    }

    /// <summary>
    /// Link message version 1: flags (bits 0-1: the name length's width; bit 2: creation order; bit 3: link type; bit 4:
    /// name encoding), then the name's length, the name, and for a hard link (type 0) the object header's address.
    /// </summary>
    /// <returns>The address a hard link points at, or -1.</returns>
    /// <exception cref="InvalidDataException">The name's declared length is more than the message holds.</exception>
    public static long CheckLink(ReadOnlySpan<byte> message, string holder)
    {
        if (message.Length < 3 || message[0] != 1) return -1;
        int flags = message[1], at = 2, linkType = 0;
        if ((flags & 0x08) != 0) linkType = message[at++];
        if ((flags & 0x04) != 0) at += 8;
        if ((flags & 0x10) != 0) at++;
        int width = 1 << (flags & 0x03);
        if (at + width > message.Length) return -1;
        ulong nameLength = Hdf5Bytes.Unsigned(message[at..], width);
        at += width;
        if (nameLength > (ulong)(message.Length - at))
            throw new InvalidDataException(
                $"A link name declares {nameLength} bytes, more than the {message.Length - at} bytes {holder} holds; the file is damaged.");
        at += (int)nameLength;
        return linkType == 0 && at + 8 <= message.Length ? Hdf5Bytes.Address(message[at..]) : -1;
    }
}
