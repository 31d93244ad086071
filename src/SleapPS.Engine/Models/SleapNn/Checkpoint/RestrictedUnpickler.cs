using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// A pickle reader that only builds .NET values (docs/design/sleap-nn-checkpoint.md §3). It knows the opcodes
/// torch.save writes (protocols 2 to 5), the text opcodes of protocol 0 that PyTables writes in attributes
/// (docs/design/file-formats.md §13.2), and the Python names in <see cref="PickleGlobals"/>; calls are never made:
/// REDUCE and NEWOBJ are interpreted by <see cref="PickleCalls"/> for the few names whose meaning is data, and
/// everything else is refused. In plain-values mode (<see cref="PlainValues"/>) no Python name at all is accepted.
/// Every length is checked against the bytes left before anything is allocated.
/// </summary>
internal sealed class RestrictedUnpickler
{
    // Deep enough for any config Lightning saves; a hostile pickle of a million MARKs stops here (§5).
    private const int MaxMarkDepth = 1000;

    private readonly byte[] _pickle;
    private readonly string _path;
    private readonly Func<object?, object> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private readonly PlainPickleErrors? _plain;
    private int _at;

    /// <param name="pickle">The bytes of data.pkl.</param>
    /// <param name="path">The checkpoint, named in errors.</param>
    /// <param name="persistentLoad">Turns a persistent id (BINPERSID) into a value; torch uses them for storages.</param>
    public RestrictedUnpickler(byte[] pickle, string path, Func<object?, object> persistentLoad)
    {
        _pickle = pickle;
        _path = path;
        _persistentLoad = persistentLoad;
    }

    /// <summary>
    /// A reader of pickles of plain values only (None, bools, ints, floats, strings, bytes, lists, tuples, dicts,
    /// sets): the first Python name (GLOBAL, STACK_GLOBAL), persistent id or call is refused through <paramref name="errors"/>.
    /// </summary>
    public static RestrictedUnpickler PlainValues(byte[] pickle, PlainPickleErrors errors) =>
        new(pickle, errors);

    private RestrictedUnpickler(byte[] pickle, PlainPickleErrors errors)
        : this(pickle, errors.Path, _ => throw errors.Invalid("it refers to a persistent object, which a plain value never does")) => _plain = errors;

    /// <summary>Reads the pickle up to STOP and returns its value.</summary>
    public object? Load()
    {
        while (true)
        {
            int opcodeAt = _at;
            byte opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: // PROTO
                    byte protocol = ReadByte();
                    if (protocol is < 2 or > 5)
                        throw Unsupported($"its pickle uses protocol {protocol}; SleapPS reads protocols 2 to 5" + (_plain is null ? ", which PyTorch writes" : " and 0"));
                    break;
                case 0x95: // FRAME: a length hint only; the bytes follow inline.
                    ulong frame = ReadUInt64();
                    if (frame > (ulong)(_pickle.Length - _at))
                        throw PastEnd(opcodeAt, "FRAME", frame);
                    break;
                case 0x2e: // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                        throw Damaged(opcodeAt, "STOP leaves the stack unbalanced");
                    return _stack[0];

                case 0x4e: Push(null); break; // NONE
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case 0x4b: Push((long)ReadByte()); break; // BININT1
                case 0x4d: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2, opcodeAt, "BININT2"))); break;
                case 0x4a: Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4, opcodeAt, "BININT"))); break;
                case 0x8a: Push(ReadLong(ReadByte(), opcodeAt, "LONG1")); break;
                case 0x8b: Push(ReadLong(ReadLength32Signed(opcodeAt, "LONG4"), opcodeAt, "LONG4")); break;
                case 0x47: Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8, opcodeAt, "BINFLOAT"))); break;
                // Protocol 0 (text) opcodes, as PyTables pickles attributes: values on one line each.
                case 0x49: Push(TextInt(ReadLine(opcodeAt, "INT"), opcodeAt, "INT")); break;
                case 0x4c: Push(TextInt(ReadLine(opcodeAt, "LONG").TrimEnd('L'), opcodeAt, "LONG")); break;
                case 0x46: Push(TextFloat(ReadLine(opcodeAt, "FLOAT"), opcodeAt)); break;
                case 0x56: Push(RawUnicodeEscape.Decode(ReadRawLine(opcodeAt, "UNICODE"), () => Damaged(opcodeAt, "UNICODE has a broken \\u escape"))); break;
                case 0x53: Push(PythonStringLiteral.Decode(ReadRawLine(opcodeAt, "STRING"), () => Damaged(opcodeAt, "STRING is not a quoted Python string"))); break;
                case 0x70: _memo[TextIndex(ReadLine(opcodeAt, "PUT"), opcodeAt, "PUT")] = Peek(opcodeAt); break; // PUT
                case 0x67: Push(Recall(TextIndex(ReadLine(opcodeAt, "GET"), opcodeAt, "GET"), opcodeAt)); break; // GET

                case 0x58: Push(Utf8(Take(ReadUInt32(), opcodeAt, "BINUNICODE"))); break;
                case 0x8c: Push(Utf8(Take(ReadByte(), opcodeAt, "SHORT_BINUNICODE"))); break;
                case 0x8d: Push(Utf8(Take(ReadUInt64(), opcodeAt, "BINUNICODE8"))); break;
                // Python 2 byte strings: read as Latin-1, as torch.load's default encoding does for text.
                case 0x54: Push(Encoding.Latin1.GetString(Take(ReadLength32Signed(opcodeAt, "BINSTRING"), opcodeAt, "BINSTRING"))); break;
                case 0x55: Push(Encoding.Latin1.GetString(Take(ReadByte(), opcodeAt, "SHORT_BINSTRING"))); break;
                case 0x42: Push(Take(ReadUInt32(), opcodeAt, "BINBYTES").ToArray()); break;
                case 0x43: Push(Take(ReadByte(), opcodeAt, "SHORT_BINBYTES").ToArray()); break;
                case 0x8e: Push(Take(ReadUInt64(), opcodeAt, "BINBYTES8").ToArray()); break;
                case 0x96: Push(Take(ReadUInt64(), opcodeAt, "BYTEARRAY8").ToArray()); break;

                case 0x29: Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case 0x5d: Push(new PickleList()); break; // EMPTY_LIST
                case 0x7d: Push(new PickleDict()); break; // EMPTY_DICT
                case 0x8f: Push(new PickleSet()); break; // EMPTY_SET
                case 0x85: Push(PopTuple(1, opcodeAt)); break; // TUPLE1
                case 0x86: Push(PopTuple(2, opcodeAt)); break; // TUPLE2
                case 0x87: Push(PopTuple(3, opcodeAt)); break; // TUPLE3
                case 0x28: // MARK
                    if (_marks.Count >= MaxMarkDepth)
                        throw Damaged(opcodeAt, $"it nests deeper than {MaxMarkDepth} levels");
                    _marks.Push(_stack.Count);
                    break;
                case 0x74: Push(PopMark(opcodeAt).ToArray()); break; // TUPLE
                case 0x6c: // LIST
                    var list = new PickleList();
                    list.AddRange(PopMark(opcodeAt));
                    Push(list);
                    break;
                case 0x64: // DICT
                    var dict = new PickleDict();
                    SetItems(dict, PopMark(opcodeAt), opcodeAt);
                    Push(dict);
                    break;
                case 0x91: // FROZENSET
                    var frozen = new PickleSet();
                    frozen.AddRange(PopMark(opcodeAt));
                    Push(frozen);
                    break;
                case 0x30: Pop(opcodeAt); break; // POP
                case 0x31: PopMark(opcodeAt); break; // POP_MARK
                case 0x32: Push(Peek(opcodeAt)); break; // DUP

                case 0x71: _memo[ReadByte()] = Peek(opcodeAt); break; // BINPUT
                case 0x72: _memo[ReadUInt32()] = Peek(opcodeAt); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(opcodeAt); break; // MEMOIZE
                case 0x68: Push(Recall(ReadByte(), opcodeAt)); break; // BINGET
                case 0x6a: Push(Recall(ReadUInt32(), opcodeAt)); break; // LONG_BINGET

                case 0x63: // GLOBAL: "module\nname\n"
                    string module = ReadLine(opcodeAt, "GLOBAL");
                    string name = ReadLine(opcodeAt, "GLOBAL");
                    Push(ResolveGlobal(module, name));
                    break;
                case 0x93: // STACK_GLOBAL
                    object? globalName = Pop(opcodeAt), globalModule = Pop(opcodeAt);
                    if (globalModule is not string m || globalName is not string n)
                        throw Damaged(opcodeAt, "STACK_GLOBAL needs two strings");
                    Push(ResolveGlobal(m, n));
                    break;

                case 0x51: Push(_persistentLoad(Pop(opcodeAt))); break; // BINPERSID
                case 0x52 or 0x81 or 0x92 or 0x62 when _plain is not null: // calls and object state: never in plain values
                    throw _plain.Invalid($"its pickle builds a Python object (opcode 0x{opcode:x2} at byte {opcodeAt}), but it should hold only plain values");
                case 0x52: // REDUCE: callable(*args), interpreted, never called.
                    object? args = Pop(opcodeAt), callable = Pop(opcodeAt);
                    Push(PickleCalls.Reduce(callable, AsTuple(args, opcodeAt, "REDUCE"), _path));
                    break;
                case 0x81: // NEWOBJ: cls.__new__(cls, *args)
                    object? newArgs = Pop(opcodeAt), cls = Pop(opcodeAt);
                    Push(PickleCalls.New(cls, AsTuple(newArgs, opcodeAt, "NEWOBJ"), _path));
                    break;
                case 0x92: // NEWOBJ_EX: cls.__new__(cls, *args, **kwargs)
                    Pop(opcodeAt);
                    object? exArgs = Pop(opcodeAt), exCls = Pop(opcodeAt);
                    Push(PickleCalls.New(exCls, AsTuple(exArgs, opcodeAt, "NEWOBJ_EX"), _path));
                    break;
                case 0x62: // BUILD: obj.__setstate__(state)
                    object? state = Pop(opcodeAt);
                    PickleCalls.Build(Peek(opcodeAt), state, _path);
                    break;

                case 0x73: // SETITEM
                    object? value = Pop(opcodeAt), key = Pop(opcodeAt);
                    SetItems(Peek(opcodeAt), [key, value], opcodeAt);
                    break;
                case 0x75: // SETITEMS
                    var pairs = PopMark(opcodeAt);
                    SetItems(Peek(opcodeAt), pairs, opcodeAt);
                    break;
                case 0x61: // APPEND
                    object? item = Pop(opcodeAt);
                    Append(Peek(opcodeAt), [item], opcodeAt);
                    break;
                case 0x65: // APPENDS
                case 0x90: // ADDITEMS
                    var items = PopMark(opcodeAt);
                    Append(Peek(opcodeAt), items, opcodeAt);
                    break;

                default:
                    throw Unsupported($"its pickle uses the opcode 0x{opcode:x2} (at byte {opcodeAt}), which " +
                        (_plain is null ? "PyTorch does not write in checkpoints and SleapPS does not read" : "SleapPS does not read in a pickle of plain values"));
            }
        }
    }

    private void SetItems(object? target, List<object?> keysAndValues, int opcodeAt)
    {
        if (keysAndValues.Count % 2 != 0)
            throw Damaged(opcodeAt, "a dict is given a key without a value");
        switch (target)
        {
            case PickleDict dict:
                for (int i = 0; i < keysAndValues.Count; i += 2)
                    dict.Set(keysAndValues[i], keysAndValues[i + 1]);
                break;
            case OpaqueObject:
                break; // a placeholder keeps no contents (§3.2)
            default:
                throw Damaged(opcodeAt, $"it sets dict items on {PickleCalls.Describe(target)}");
        }
    }

    private void Append(object? target, List<object?> items, int opcodeAt)
    {
        switch (target)
        {
            case List<object?> list: // PickleList or PickleSet
                list.AddRange(items);
                break;
            case OpaqueObject:
                break;
            default:
                throw Damaged(opcodeAt, $"it appends items to {PickleCalls.Describe(target)}");
        }
    }

    private object?[] AsTuple(object? value, int opcodeAt, string opcode) =>
        value as object?[] ?? throw Damaged(opcodeAt, $"{opcode} needs its arguments as a tuple");

    private void Push(object? value) => _stack.Add(value);

    private object? Pop(int opcodeAt)
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor)
            throw Damaged(opcodeAt, "it takes from an empty stack");
        object? top = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return top;
    }

    private object? Peek(int opcodeAt)
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor)
            throw Damaged(opcodeAt, "it takes from an empty stack");
        return _stack[^1];
    }

    private object?[] PopTuple(int count, int opcodeAt)
    {
        var tuple = new object?[count];
        for (int i = count - 1; i >= 0; i--)
            tuple[i] = Pop(opcodeAt);
        return tuple;
    }

    private List<object?> PopMark(int opcodeAt)
    {
        if (_marks.Count == 0)
            throw Damaged(opcodeAt, "it closes a MARK it never opened");
        int start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private object? Recall(long index, int opcodeAt) =>
        _memo.TryGetValue(index, out var value) ? value : throw Damaged(opcodeAt, $"it recalls memo entry {index}, which was never stored");

    private byte ReadByte()
    {
        if (_at >= _pickle.Length)
            throw Damaged(_at, "it ends before its STOP opcode");
        return _pickle[_at++];
    }

    private uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, _at, "a length field"));

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, _at, "a length field"));

    private long ReadLength32Signed(int opcodeAt, string opcode)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(Take(4, opcodeAt, opcode));
        return length >= 0 ? length : throw Damaged(opcodeAt, $"{opcode} has the negative length {length}");
    }

    /// <summary>The next <paramref name="length"/> bytes; a length past the end of the pickle is refused (§5).</summary>
    private ReadOnlySpan<byte> Take(ulong length, int opcodeAt, string opcode)
    {
        if (length > (ulong)(_pickle.Length - _at))
            throw PastEnd(opcodeAt, opcode, length);
        var bytes = _pickle.AsSpan(_at, (int)length);
        _at += (int)length;
        return bytes;
    }

    private ReadOnlySpan<byte> Take(long length, int opcodeAt, string opcode) => Take((ulong)length, opcodeAt, opcode);

    private string ReadLine(int opcodeAt, string opcode)
    {
        int end = Array.IndexOf(_pickle, (byte)'\n', _at);
        if (end < 0)
            throw Damaged(opcodeAt, $"{opcode} is not ended by a newline");
        string line = Encoding.UTF8.GetString(_pickle, _at, end - _at);
        _at = end + 1;
        return line;
    }

    // Python ints of any size, two's complement little-endian; a long when they fit, as every size and index does.
    private object ReadLong(long length, int opcodeAt, string opcode)
    {
        var bytes = Take(length, opcodeAt, opcode);
        var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private SleapException PastEnd(int opcodeAt, string opcode, ulong length) =>
        Damaged(opcodeAt, $"{opcode} declares {length} bytes, more than the {_pickle.Length - _at} left in data.pkl");

    private SleapException Damaged(int at, string what) => _plain is null
        ? CheckpointErrors.Invalid(_path, $"its pickle (data.pkl) is damaged at byte {at}: {what}")
        : _plain.Invalid($"its pickle is damaged at byte {at}: {what}");

    private SleapException Unsupported(string what) => _plain is null ? CheckpointErrors.Unsupported(_path, what) : _plain.Invalid(what);

    /// <summary>A Python name: looked up in the checkpoint allow-list, or refused outright for plain values (a callable is never needed there).</summary>
    private object ResolveGlobal(string module, string name) => _plain is null
        ? PickleGlobals.Resolve(module, name, _path)
        : throw _plain.Invalid($"its pickle names the Python callable '{module}.{name}', but it should hold only plain values (lists, tuples, strings, numbers); SleapPS never runs code from a data file, so it refuses it");

    private object TextInt(string text, int opcodeAt, string opcode)
    {
        // Protocol 0 spells True and False as INT 01 and 00.
        if (opcode == "INT" && text == "01") return true;
        if (opcode == "INT" && text == "00") return false;
        if (!BigInteger.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var big))
            throw Damaged(opcodeAt, $"{opcode} holds '{text}', not an integer");
        return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
    }

    private double TextFloat(string text, int opcodeAt) => text switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value)
            ? value
            : throw Damaged(opcodeAt, $"FLOAT holds '{text}', not a number"),
    };

    private long TextIndex(string text, int opcodeAt, string opcode) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long index)
            ? index
            : throw Damaged(opcodeAt, $"{opcode} holds '{text}', not a memo index");

    private ReadOnlySpan<byte> ReadRawLine(int opcodeAt, string opcode)
    {
        int end = Array.IndexOf(_pickle, (byte)'\n', _at);
        if (end < 0)
            throw Damaged(opcodeAt, $"{opcode} is not ended by a newline");
        var line = _pickle.AsSpan(_at, end - _at);
        _at = end + 1;
        return line;
    }
}
