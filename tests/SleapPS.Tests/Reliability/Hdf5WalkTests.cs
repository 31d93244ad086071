using System.Buffers.Binary;
using System.Text;
using SleapPS.Engine;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Dlc;
using SleapPS.Engine.IO.Hdf5;
using SleapPS.Engine.IO.Nwb;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// The HDF5 pre-checks on the newer layouts (docs/design/reliability.md §3): version 3 superblocks and version 2 object
/// headers as PureHDF (our writers) and h5py's libver='latest' write them, continuation blocks, links in the header and
/// dense links and attributes in fractal heaps. Each damage is made by hand in a real file and the exact refusal asserted;
/// every undamaged file, ours and h5py's, must pass.
/// </summary>
public class Hdf5WalkTests
{
    private static readonly string Minimal = Paths.Fixture("slp_hdf5", "minimal_instance.slp");

    /// <summary>Tracked labels: the NWB and analysis writers hold one animal per track.</summary>
    private static readonly string Tracked = Paths.Fixture("tracks", "clip.2node.slp");

    /// <summary>h5py writes the newest layouts into a fresh folder (tests/python/write_latest_layouts.py).</summary>
    private static TempDir LatestLayouts()
    {
        var dir = new TempDir();
        H5py.Run("write_latest_layouts.py", dir.FullName);
        return dir;
    }

    [Fact]
    public void Every_layout_our_writers_and_h5py_latest_produce_passes_the_walk()
    {
        using var dir = LatestLayouts();
        var labels = LabelsReader.Read(Tracked);
        SlpWriter.Write(labels, dir.File("ours.slp"));
        AnalysisH5Writer.Write(labels, dir.File("ours.analysis.h5"));
        NwbWriter.Write(labels, dir.File("ours.nwb"));
        DlcH5Writer.Write(labels, dir.File("ours.dlc.h5"));

        foreach (string path in Directory.GetFiles(dir.FullName))
        {
            var ex = Record.Exception(() => { RootLocalHeap.Check(path); AttributeSizes.Check(path); });
            Assert.True(ex is null, $"{Path.GetFileName(path)}: {ex?.Message}");
        }
        using (var stream = File.OpenRead(dir.File("ours.slp")))
            Assert.Equal(3, Hdf5Superblock.Find(stream)!.Value.Version);
        Assert.Equal(labels.LabeledFrames.Count, LabelsReader.Read(dir.File("ours.slp")).LabeledFrames.Count);
    }

    [Fact]
    public void Every_shared_fixture_passes_the_walk()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Paths.Fixtures, ".."), "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".slp", StringComparison.Ordinal) || p.EndsWith(".h5", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        foreach (string path in files)
        {
            var ex = Record.Exception(() => { RootLocalHeap.Check(path); AttributeSizes.Check(path); });
            Assert.True(ex is null, $"{path}: {ex?.Message}");
        }
    }

    [Fact]
    public void An_attribute_in_a_version_2_header_declaring_more_than_its_message_is_refused_naming_the_file()
    {
        using var dir = LatestLayouts();
        // 1.6 GB declared: PureHDF would allocate it while decoding the root's header, before any read.
        string path = Damaged(dir, "compact.h5", bytes => SetDimension(bytes, Attribute(bytes, "probe"), 200_000_000));

        AssertRefused(path, "An attribute declares 200000000 values of 8 bytes, more than the 24 bytes its header holds; the file is damaged.");
    }

    [Fact]
    public void An_attribute_in_the_dense_attribute_heap_declaring_more_than_its_heap_object_is_refused()
    {
        using var dir = LatestLayouts();
        string path = Damaged(dir, "dense.h5", bytes => SetDimension(bytes, Attribute(bytes, "probe_07"), 100_000));

        AssertRefused(path, "An attribute declares 100000 values of 8 bytes, more than the 64 bytes its place in the attribute heap holds; the file is damaged.");
    }

    [Fact]
    public void A_huge_attribute_outside_the_heap_declaring_more_than_it_holds_is_refused()
    {
        using var dir = LatestLayouts();
        string path = Damaged(dir, "huge_attr.h5", bytes => SetDimension(bytes, Attribute(bytes, "big"), 1_000_000_000));

        AssertRefused(path, "An attribute declares 1000000000 values of 8 bytes, more than the 160000 bytes its place in the attribute heap holds; the file is damaged.");
    }

    [Fact]
    public void A_link_name_in_our_own_writers_file_declaring_a_gigabyte_is_refused()
    {
        using var dir = new TempDir();
        string written = dir.File("written.slp");
        SlpWriter.Write(LabelsReader.Read(Minimal), written);
        var bytes = File.ReadAllBytes(written);
        int name = LinkName(bytes, "points");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(name - 4), 1 << 30);
        string path = dir.File("damaged.slp");
        File.WriteAllBytes(path, bytes);

        // The link message holds its version, flags, name encoding, 4-byte length, the name and an 8-byte address.
        AssertRefused(path, $"A link name declares 1073741824 bytes, more than the {"points".Length + 8} bytes its message holds; the file is damaged.");
    }

    [Fact]
    public void A_compact_dataset_in_a_version_2_header_declaring_more_than_its_message_is_refused()
    {
        using var dir = LatestLayouts();
        // h5py put the root's links to this dataset in a continuation block ("OCHK"), so the walk reaches it through one.
        string path = Damaged(dir, "compact.h5", bytes =>
        {
            // The data 0, 1, 2, 3 (int32) follows the layout's version, class 0 (compact) and 2-byte size 16.
            int data = IndexOf(bytes, [0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
            Assert.True(bytes[data - 4] is 3 or 4 && bytes[data - 3] == 0 && bytes[data - 2] == 16);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(data - 2), 60_000);
        });

        AssertRefused(path, "A compact dataset declares 60000 bytes of data, more than the 16 bytes its header holds; the file is damaged.");
    }

    [Fact]
    public void A_fill_value_declaring_more_than_its_message_is_refused()
    {
        using var dir = LatestLayouts();
        string path = Damaged(dir, "compact.h5", bytes =>
        {
            // Fill value message version 3: version, flags (bit 5: defined), the 4-byte size 8, the value 7 (int64).
            int size = IndexOf(bytes, [8, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0]);
            Assert.True(bytes[size - 2] == 3 && (bytes[size - 1] & 0x30) == 0x20);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(size), 1u << 30);
        });

        AssertRefused(path, "A fill value declares 1073741824 bytes, more than the 8 bytes its header holds; the file is damaged.");
    }

    /// <summary>PureHDF allocates a whole chunk (its dimensions times the element size) for every chunk it reads.</summary>
    [Fact]
    public void Chunk_dimensions_larger_than_the_file_can_decompress_to_are_refused()
    {
        using var dir = LatestLayouts();
        long length = 0;
        string path = Damaged(dir, "chunked.h5", bytes =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(ChunkLayout(bytes) + 11), int.MaxValue);  // the first axis's chunk size
            length = bytes.Length;
        });

        AssertRefused(path, $"A dataset declares chunks of {(long)int.MaxValue * 8} bytes, more than a file of {length} bytes can hold even compressed; the file is damaged.");
    }

    /// <summary>PureHDF rents a buffer of a compressed chunk's stored size, as the chunk B-tree declares it, before reading it.</summary>
    [Fact]
    public void A_stored_chunk_running_past_the_end_of_the_file_is_refused()
    {
        using var dir = LatestLayouts();
        long chunk = 0, length = 0;
        string path = Damaged(dir, "chunked.h5", bytes =>
        {
            int tree = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(ChunkLayout(bytes) + 3));
            Assert.True(bytes.AsSpan(tree, 4).SequenceEqual("TREE"u8) && bytes[tree + 4] == 1 && bytes[tree + 5] == 0);
            // The first key (stored size, filter mask, two 8-byte offsets), then the first chunk's address.
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(tree + 24), int.MaxValue);
            chunk = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(tree + 24 + 24));
            length = bytes.Length;
        });

        AssertIncomplete(path, $"A chunk of a dataset declares {int.MaxValue} bytes at offset {chunk}, past the end of a file of {length} bytes");
    }

    /// <summary>Where the chunked layout message (version 3, class 2, dimensionality 2, the B-tree, chunk sizes 4 and 8) starts.</summary>
    private static int ChunkLayout(byte[] bytes)
    {
        for (int at = IndexOf(bytes, [3, 2, 2]); at >= 0; at = IndexOf(bytes, [3, 2, 2], at + 1))
            if (at + 19 <= bytes.Length && bytes.AsSpan(at + 11, 8).SequenceEqual(new byte[] { 4, 0, 0, 0, 8, 0, 0, 0 }))
                return at;
        throw new InvalidOperationException("No chunked layout message.");
    }

    [Fact]
    public void A_fractal_heap_whose_root_block_runs_past_the_file_is_refused()
    {
        using var dir = LatestLayouts();
        long root = 0, length = 0;
        string path = Damaged(dir, "dense_links.h5", bytes =>
        {
            int heap = IndexOf(bytes, "FRHP"u8.ToArray());
            Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(heap + 140)));  // a direct root block
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(heap + 112), 1UL << 40);    // the starting block size
            root = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(heap + 132));
            length = bytes.Length;
        });

        AssertIncomplete(path, $"The heap of an object's links (a fractal heap) declares a root block of 1099511627776 bytes at offset {root}, " +
                              $"past the end of a file of {length} bytes");
    }

    [Fact]
    public void A_b_tree_node_declaring_more_records_than_it_holds_is_refused()
    {
        using var dir = LatestLayouts();
        uint nodeSize = 0;
        int recordSize = 0;
        string path = Damaged(dir, "dense_links.h5", bytes =>
        {
            int tree = IndexOf(bytes, "BTHD"u8.ToArray());
            nodeSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(tree + 6));
            recordSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(tree + 10));
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(tree + 24), 60_000);  // the root node's record count
        });

        AssertRefused(path, $"A node of the index of an object's links (a B-tree) declares 60000 records of {recordSize} bytes, " +
                            $"more than its {nodeSize}-byte node holds; the file is damaged.");
    }

    /// <summary>
    /// PureHDF counts down the bytes a header block declares by each message's size; a message running past its block
    /// takes that count below zero, and PureHDF then reads on past the file's end (a fuzz case hung so).
    /// </summary>
    [Fact]
    public void A_message_running_past_its_header_block_is_refused()
    {
        using var dir = new TempDir();
        var bytes = WrittenSlp(dir);
        int root = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(36));  // superblock 3's root object header
        Assert.True(bytes.AsSpan(root, 4).SequenceEqual("OHDR"u8) && bytes[root + 5] == 0x03);  // chunk size in 8 bytes
        long chunk = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(root + 6));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(root + 14 + 1), (ushort)(chunk + 100));  // the first message's size
        string path = dir.File("damaged.slp");
        File.WriteAllBytes(path, bytes);

        AssertRefused(path, $"A message in the object header at offset {root} declares {chunk + 100} bytes, more than the {chunk - 4} bytes left in its block; the file is damaged.");
    }

    [Fact]
    public void A_header_block_declared_past_the_end_of_the_file_is_refused()
    {
        using var dir = new TempDir();
        var bytes = WrittenSlp(dir);
        int root = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(36));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(root + 6), 1UL << 40);
        string path = dir.File("damaged.slp");
        File.WriteAllBytes(path, bytes);

        AssertIncomplete(path, $"The object header at offset {root} declares a block of 1099511627776 bytes of messages at offset {root + 14}, " +
                              $"past the end of a file of {bytes.Length} bytes");
    }

    /// <summary>PureHDF decodes a whole global heap collection when a variable-length string is read, each object at its declared size.</summary>
    [Fact]
    public void A_variable_length_string_declaring_more_than_its_global_heap_collection_is_refused()
    {
        using var dir = new TempDir();
        string written = dir.File("written.nwb");
        NwbWriter.Write(LabelsReader.Read(Tracked), written, new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));
        var bytes = File.ReadAllBytes(written);
        int collection = IndexOf(bytes, "GCOL"u8.ToArray());
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(collection + 8));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(collection + 16 + 8), 1UL << 30);  // the first object's size
        string path = dir.File("damaged.nwb");
        File.WriteAllBytes(path, bytes);

        // The NWB probe takes the refusal as "not NWB"; the .slp reader tried last reports it.
        AssertRefused(path, $"A variable-length value in a global heap collection declares 1073741824 bytes, more than the {size - 32} bytes " +
                            $"left in its collection of {size} bytes; the file is damaged.");
    }

    /// <summary>A dataset's variable-length strings, stored as is, point into a global heap PureHDF decodes whole when they are read.</summary>
    [Fact]
    public void A_variable_length_string_in_a_dataset_declaring_more_than_its_collection_is_refused()
    {
        using var dir = LatestLayouts();
        ulong size = 0, left = 0;
        string path = Damaged(dir, "strings.h5", bytes =>
        {
            // A global heap object: index (2), reference count (2), 4 reserved, size (8), then the data, "thorax".
            int thorax = IndexOf(bytes, "thorax"u8.ToArray());
            int collection = IndexOf(bytes, "GCOL"u8.ToArray());
            Assert.Equal(6UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(thorax - 8)));
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(thorax - 8), 1UL << 30);
            size = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(collection + 8));
            left = size - (ulong)(thorax - collection);
        });

        AssertRefused(path, $"A variable-length value in a global heap collection declares 1073741824 bytes, more than the {left} bytes " +
                            $"left in its collection of {size} bytes; the file is damaged.");
    }

    private static byte[] WrittenSlp(TempDir dir)
    {
        string written = dir.File("written.slp");
        SlpWriter.Write(LabelsReader.Read(Minimal), written);
        return File.ReadAllBytes(written);
    }

    private static string Damaged(TempDir dir, string name, Action<byte[]> damage)
    {
        var bytes = File.ReadAllBytes(dir.File(name));
        damage(bytes);
        string path = dir.File("damaged.slp");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Something placed past the file's end: worded as a file that may still be being copied (FileEndsEarly).</summary>
    private static void AssertIncomplete(string path, string detail)
    {
        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(path, ex.Path);
        Assert.Equal($"Cannot read '{path}': the HDF5 file is damaged or incomplete ({detail}). If it was being copied or written, wait for that to finish or copy it again.", ex.Message);
    }

    private static void AssertRefused(string path, string what)
    {
        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(path));

        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(path, ex.Path);
        Assert.Equal($"Cannot read '{path}': it is not a valid SLEAP labels file. {what} Re-save it with SLEAP, or check that it is the right file.", ex.Message);
    }

    /// <summary>
    /// Where a version 3 attribute message's name starts (the message: version 3, flags, name/datatype/dataspace sizes,
    /// name encoding, the name with its terminating zero, datatype, dataspace, data).
    /// </summary>
    private static int Attribute(byte[] bytes, string name)
    {
        var needle = Encoding.ASCII.GetBytes(name + "\0");
        for (int at = IndexOf(bytes, needle); at >= 0; at = IndexOf(bytes, needle, at + 1))
            if (at >= 9 && bytes[at - 9] == 3 && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at - 7)) == needle.Length)
                return at;
        throw new InvalidOperationException($"No attribute message named '{name}'.");
    }

    /// <summary>Sets the first dimension of the (version 2) dataspace of the attribute whose name starts at <paramref name="name"/>.</summary>
    private static void SetDimension(byte[] bytes, int name, ulong dimension)
    {
        int nameSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(name - 7));
        int typeSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(name - 5));
        int space = name + nameSize + typeSize;
        Assert.Equal(2, bytes[space]);
        Assert.Equal(1, bytes[space + 1]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(space + 4), dimension);
    }

    /// <summary>Where a link message's name starts: version 1, flags with a 4-byte name length, the encoding, the length, the name.</summary>
    private static int LinkName(byte[] bytes, string name)
    {
        var needle = Encoding.ASCII.GetBytes(name);
        for (int at = IndexOf(bytes, needle); at >= 0; at = IndexOf(bytes, needle, at + 1))
            if (at >= 7 && bytes[at - 7] == 1 && (bytes[at - 6] & 0x03) == 2 && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at - 4)) == needle.Length)
                return at;
        throw new InvalidOperationException($"No link message named '{name}'.");
    }

    private static int IndexOf(byte[] bytes, byte[] needle, int from = 0)
    {
        int found = bytes.AsSpan(from).IndexOf(needle);
        return found < 0 ? -1 : from + found;
    }
}
