using System.IO.Compression;
using System.Text;

namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// The zip that torch.save writes (docs/design/sleap-nn-checkpoint.md §1): <c>&lt;prefix&gt;/data.pkl</c>, the pickle;
/// <c>&lt;prefix&gt;/data/&lt;key&gt;</c>, one raw little-endian storage per key; <c>&lt;prefix&gt;/byteorder</c> and
/// <c>&lt;prefix&gt;/version</c>. Entries are read whole, after their sizes were checked against the file (§5).
/// </summary>
internal sealed class CheckpointArchive : IDisposable
{
    // Deflate cannot expand data more than about 1032 times; a zip directory claiming more is lying (§5). torch
    // itself stores entries uncompressed, where the two lengths are equal.
    private const long MaxInflateRatio = 1032;

    private readonly ZipArchive _zip;
    private readonly long _fileLength;
    private readonly Dictionary<string, byte[]> _storages = new(StringComparer.Ordinal);

    private CheckpointArchive(string path, ZipArchive zip, long fileLength, string prefix)
    {
        Path = path;
        _zip = zip;
        _fileLength = fileLength;
        Prefix = prefix;
    }

    public string Path { get; }

    /// <summary>The folder every entry sits in (the file's name without extension, when torch.save wrote it).</summary>
    public string Prefix { get; }

    public static CheckpointArchive Open(string path)
    {
        if (!File.Exists(path))
            throw CheckpointErrors.Missing(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read the sleap-nn checkpoint '{path}': {e.Message}", path, e);
        }
        try
        {
            CheckSignature(path, stream);
            ZipArchive zip;
            string prefix;
            try
            {
                zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
                // The central directory is read when the entries are first listed: its damage surfaces here too.
                prefix = FindPrefix(path, zip);
            }
            catch (InvalidDataException)
            {
                throw CheckpointErrors.Damaged(path, "its zip directory is missing or unreadable");
            }
            return new CheckpointArchive(path, zip, stream.Length, prefix);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of data.pkl.</summary>
    public byte[] ReadPickle() => ReadEntry(Prefix + "/data.pkl");

    /// <summary>Refuses a checkpoint whose storages are big-endian; a missing byteorder record means little-endian (§1).</summary>
    public void CheckByteOrder()
    {
        string name = Prefix + "/byteorder";
        if (_zip.GetEntry(name) is null)
            return;
        string order = Encoding.ASCII.GetString(ReadEntry(name)).Trim();
        if (order == "big")
            throw CheckpointErrors.Unsupported(Path, "its tensors are stored big-endian; SleapPS reads the little-endian checkpoints every common machine writes");
        if (order != "little")
            throw CheckpointErrors.Invalid(Path, $"its byteorder record says '{order}', neither 'little' nor 'big'");
    }

    /// <summary>
    /// Checks a storage named by a persistent id: its entry exists and holds exactly
    /// <paramref name="elementCount"/> elements of <paramref name="type"/>, before anything is read (§5).
    /// </summary>
    public StorageRef DeclareStorage(string key, TorchStorageType type, long elementCount)
    {
        string entryName = $"{Prefix}/data/{key}";
        var entry = _zip.GetEntry(entryName)
            ?? throw CheckpointErrors.Invalid(Path, $"its pickle refers to the storage '{entryName}', which is not in the zip");
        if (elementCount < 0 || elementCount > long.MaxValue / type.ElementSize || elementCount * type.ElementSize != entry.Length)
            throw CheckpointErrors.Invalid(Path,
                $"its storage '{entryName}' declares {elementCount} {type.DType} values ({(Int128)elementCount * type.ElementSize} bytes), but the entry holds {entry.Length} bytes");
        return new StorageRef(key, entryName, type, elementCount);
    }

    /// <summary>The raw bytes of a declared storage, read once however many tensors view it.</summary>
    public byte[] ReadStorage(StorageRef storage)
    {
        if (!_storages.TryGetValue(storage.EntryName, out var bytes))
            _storages[storage.EntryName] = bytes = ReadEntry(storage.EntryName);
        return bytes;
    }

    private byte[] ReadEntry(string name)
    {
        var entry = _zip.GetEntry(name) ?? throw CheckpointErrors.Invalid(Path, $"it has no '{name}'");
        if (entry.CompressedLength > _fileLength || entry.Length > entry.CompressedLength * MaxInflateRatio + 1024)
            throw CheckpointErrors.Damaged(Path, $"the zip directory gives '{name}' a size of {entry.Length} bytes that the file cannot hold");
        if (entry.Length > Array.MaxLength)
            throw CheckpointErrors.Unsupported(Path, $"its entry '{name}' is {entry.Length} bytes, more than SleapPS reads at once (2 GB)");
        var bytes = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw CheckpointErrors.Damaged(Path, $"its entry '{name}' cannot be read whole");
        }
        return bytes;
    }

    // torch.save writes a zip (it starts "PK"); before PyTorch 1.6 it wrote a bare pickle (starting 0x80, PROTO).
    private static void CheckSignature(string path, FileStream stream)
    {
        Span<byte> head = stackalloc byte[4];
        int read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read >= 2 && head[0] == 'P' && head[1] == 'K')
            return;
        if (read >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5)
            throw CheckpointErrors.LegacyFormat(path);
        throw CheckpointErrors.NotZip(path);
    }

    // torch.load takes the folder of the first entry; the pickle must be directly inside it.
    private static string FindPrefix(string path, ZipArchive zip)
    {
        var pickles = zip.Entries.Select(e => e.FullName)
            .Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - "/data.pkl".Length)
            .ToList();
        return pickles.Count switch
        {
            1 => pickles[0][..^"/data.pkl".Length],
            0 => throw CheckpointErrors.Invalid(path, "the zip has no data.pkl, so it is not a PyTorch checkpoint"),
            _ => throw CheckpointErrors.Invalid(path, $"the zip holds {pickles.Count} data.pkl files ({string.Join(", ", pickles)}); a checkpoint has one"),
        };
    }

    public void Dispose() => _zip.Dispose();
}
