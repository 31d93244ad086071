using System.IO.Compression;
using System.Text;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// Assembles a pickle opcode by opcode, as torch.save would write it or as an attacker could, so the tests can feed the
/// checkpoint reader exactly the bytes they mean.
/// </summary>
public sealed class PickleBuilder
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public PickleBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleBuilder Proto(byte protocol = 2) => Raw(0x80, protocol);

    public PickleBuilder Stop() => Raw((byte)'.');

    public PickleBuilder Mark() => Raw((byte)'(');

    public PickleBuilder Tuple() => Raw((byte)'t');

    public PickleBuilder Tuple1() => Raw(0x85);

    public PickleBuilder EmptyTuple() => Raw((byte)')');

    public PickleBuilder EmptyDict() => Raw((byte)'}');

    public PickleBuilder SetItem() => Raw((byte)'s');

    public PickleBuilder SetItems() => Raw((byte)'u');

    public PickleBuilder Reduce() => Raw((byte)'R');

    public PickleBuilder NewObj() => Raw(0x81);

    public PickleBuilder Build() => Raw((byte)'b');

    public PickleBuilder False() => Raw(0x89);

    public PickleBuilder PersId() => Raw((byte)'Q');

    public PickleBuilder Memoize() => Raw(0x94);

    public PickleBuilder StackGlobal() => Raw(0x93);

    public PickleBuilder None() => Raw((byte)'N');

    public PickleBuilder EmptyList() => Raw((byte)']');

    public PickleBuilder Appends() => Raw((byte)'e');

    public PickleBuilder Tuple2() => Raw(0x86);

    /// <summary>BINPUT: remembers the top of the stack under <paramref name="slot"/>.</summary>
    public PickleBuilder Put(byte slot) => Raw((byte)'q', slot);

    /// <summary>BINGET: pushes what <see cref="Put"/> remembered.</summary>
    public PickleBuilder Get(byte slot) => Raw((byte)'h', slot);

    /// <summary>BINFLOAT: 8 bytes, big-endian.</summary>
    public PickleBuilder Float(double value)
    {
        byte[] bytes = BitConverter.GetBytes(value);
        if (BitConverter.IsLittleEndian)
            Array.Reverse(bytes);
        return Raw((byte)'G').Raw(bytes);
    }

    /// <summary>GLOBAL: "c" module "\n" name "\n" (protocol 2's way of naming a Python object).</summary>
    public PickleBuilder Global(string module, string name) => Raw((byte)'c').Raw(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));

    /// <summary>BINUNICODE: a 4-byte little-endian length, then UTF-8.</summary>
    public PickleBuilder Unicode(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        return Raw((byte)'X').Raw(BitConverter.GetBytes(utf8.Length)).Raw(utf8);
    }

    public PickleBuilder ShortUnicode(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        return Raw(0x8c, (byte)utf8.Length).Raw(utf8);
    }

    public PickleBuilder Int(long value) => value switch
    {
        >= 0 and < 256 => Raw((byte)'K', (byte)value),
        >= 0 and < 65536 => Raw((byte)'M').Raw(BitConverter.GetBytes((ushort)value)),
        >= int.MinValue and <= int.MaxValue => Raw((byte)'J').Raw(BitConverter.GetBytes((int)value)),
        _ => Raw(0x8a, 8).Raw(BitConverter.GetBytes(value)),
    };

    public PickleBuilder IntTuple(params long[] values)
    {
        Mark();
        foreach (long v in values)
            Int(v);
        return Tuple();
    }

    /// <summary>torch.save's persistent id of a storage: ('storage', torch.&lt;type&gt;, key, 'cpu', numel).</summary>
    public PickleBuilder Storage(string storageType, string key, long numel) =>
        Mark().Unicode("storage").Global("torch", storageType).Unicode(key).Unicode("cpu").Int(numel).Tuple().PersId();

    /// <summary>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()).</summary>
    public PickleBuilder Tensor(string storageType, string key, long numel, long offset, long[] size, long[] stride) =>
        Global("torch._utils", "_rebuild_tensor_v2").Mark().Storage(storageType, key, numel).Int(offset)
            .IntTuple(size).IntTuple(stride).False().Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple().Reduce();

    /// <summary>
    /// A Lightning checkpoint's top dict, {epoch, global_step, pytorch-lightning_version, state_dict}, with
    /// <paramref name="stateDictItems"/> pushing key/value pairs into the state dict.
    /// </summary>
    public static PickleBuilder Lightning(Action<PickleBuilder> stateDictItems)
    {
        var p = new PickleBuilder().Proto().EmptyDict().Mark()
            .Unicode("epoch").Int(3).Unicode("global_step").Int(70000).Unicode("pytorch-lightning_version").Unicode("2.5.1.post0")
            .Unicode("state_dict").Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        stateDictItems(p);
        return p.SetItems().SetItems().Stop();
    }
}

/// <summary>Writes a zip laid out as torch.save lays out a checkpoint.</summary>
public static class HandMadeCheckpoint
{
    public static void Write(string path, byte[]? pickle, IEnumerable<(string Key, byte[] Bytes)>? storages = null,
        string prefix = "best", string? byteorder = "little")
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        if (pickle is not null)
            Add(zip, prefix + "/data.pkl", pickle);
        if (byteorder is not null)
            Add(zip, prefix + "/byteorder", Encoding.ASCII.GetBytes(byteorder));
        foreach (var (key, bytes) in storages ?? [])
            Add(zip, $"{prefix}/data/{key}", bytes);
        Add(zip, prefix + "/version", Encoding.ASCII.GetBytes("3\n"));
    }

    public static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }
}
