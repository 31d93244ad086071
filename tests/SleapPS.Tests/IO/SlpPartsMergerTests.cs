using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.IO;

/// <summary>Joining the parts of a long prediction run into one .slp, one part at a time.</summary>
public sealed class SlpPartsMergerTests : IDisposable
{
    private static readonly Dictionary<string, object?> Provenance = new() { ["predictor"] = "TopDownPredictor", ["batch_size"] = 4L };

    // Every dataset and attribute as h5py sees it: layout, and a digest of the raw bytes.
    private const string DigestSnippet = """
        import hashlib
        out = {}
        def visit(name, obj):
            for key, value in obj.attrs.items():
                out[name + "@" + key] = hashlib.sha256(np.asarray(value).tobytes()).hexdigest()
            if isinstance(obj, h5py.Dataset):
                out[name] = {"dtype": str(obj.dtype.descr), "shape": list(obj.shape), "chunks": obj.chunks,
                             "compression": obj.compression, "sha256": hashlib.sha256(obj[()].tobytes()).hexdigest()}
        visit("/", f)
        f.visititems(visit)
        print(json.dumps(out, sort_keys=True))
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>centered_pair_predictions.slp (1100 frames, 27 tracks) as a prediction run would hold it.</summary>
    private static Labels Predictions()
    {
        var labels = LabelsReader.Read(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
        labels.Tracks.Clear();              // the order a prediction run gives them: spawn frame, then name
        labels.Suggestions.Clear();
        labels.Provenance.Clear();
        labels.CollectReferencedItems();
        return labels;
    }

    /// <summary>Writes the frames as consecutive parts of the given sizes; returns their paths.</summary>
    private List<string> WriteParts(Labels labels, params int[] sizes)
    {
        var parts = new List<string>();
        int start = 0;
        foreach (int size in sizes)
        {
            var part = new Labels();
            part.Skeletons.AddRange(labels.Skeletons);
            part.LabeledFrames.AddRange(labels.LabeledFrames.Skip(start).Take(size));
            part.CollectReferencedItems();
            string path = _dir.File($"part-{parts.Count + 1:D6}.slp");
            SlpWriter.Write(part, path);
            parts.Add(path);
            start += size;
        }
        Assert.Equal(labels.LabeledFrames.Count, start);
        return parts;
    }

    [Fact]
    public void The_merged_file_holds_exactly_what_writing_all_frames_at_once_writes()
    {
        var labels = Predictions();
        // Uneven parts, a one-frame part, and parts that start mid-chunk of every table.
        var parts = WriteParts(labels, 1, 333, 100, 500, 166);
        string merged = _dir.File("merged.slp"), whole = _dir.File("whole.slp");

        var rows = SlpPartsMerger.Merge(parts, merged, labels.Skeletons[0], labels.Videos, Provenance, dropEmptyFrames: false);
        foreach (var (key, value) in Provenance) labels.Provenance[key] = value;
        SlpWriter.Write(labels, whole);

        Assert.Equal(new SlpRowIds(1100, 2274, 0, 2274 * 24), rows);
        Assert.Equal(H5py.Text(H5py.Evaluate(whole, DigestSnippet)), H5py.Text(H5py.Evaluate(merged, DigestSnippet)));
        Assert.Equal(27, LabelsReader.Read(merged).Tracks.Count);
        var js = SleapIoJs.LoadSlp(merged);
        Assert.Equal(1100, (int)js["counts"]!["labeled_frames"]!);
        Assert.Equal(2274, (int)js["counts"]!["predicted_instances"]!);
    }

    [Fact]
    public void Empty_frames_can_be_left_out_while_merging()
    {
        var labels = Predictions();
        var video = labels.Videos[0];
        labels.LabeledFrames.Insert(0, new LabeledFrame(video, 5000));
        labels.LabeledFrames.Add(new LabeledFrame(video, 5001));
        var parts = WriteParts(labels, 1, 600, 501);

        string merged = _dir.File("merged.slp");
        var rows = SlpPartsMerger.Merge(parts, merged, labels.Skeletons[0], labels.Videos, Provenance, dropEmptyFrames: true);

        Assert.Equal(1100UL, rows.Frame);
        var read = LabelsReader.Read(merged);
        Assert.Equal(labels.LabeledFrames.Skip(1).Take(1100).Select(f => f.FrameIndex), read.LabeledFrames.Select(f => f.FrameIndex));
        Assert.Equal(0L, read.LabeledFrames[0].FrameIndex);
    }

    [Fact]
    public void A_part_of_another_video_or_skeleton_is_refused_and_no_file_is_left()
    {
        var labels = Predictions();
        var parts = WriteParts(labels, 1100);
        string merged = _dir.File("merged.slp");

        var otherVideo = new Video("elsewhere.mp4", labels.Videos[0].Backend);
        var error = Assert.Throws<SleapException>(() => SlpPartsMerger.Merge(parts, merged, labels.Skeletons[0], [otherVideo], Provenance, false));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"The part '{parts[0]}' holds frames of '{labels.Videos[0].Filename}', which this run does not predict on.", error.Message);

        var otherSkeleton = new Skeleton("two", [new Node("a"), new Node("b")]);
        error = Assert.Throws<SleapException>(() => SlpPartsMerger.Merge(parts, merged, otherSkeleton, labels.Videos, Provenance, false));
        Assert.Equal($"The part '{parts[0]}' holds instances of the skeleton '{labels.Skeletons[0].Name}', whose nodes differ from those of 'two'.", error.Message);
        Assert.False(File.Exists(merged));
    }
}

/// <summary>The managed heap is process-wide: this runs with the other memory tests, while no other test does.</summary>
[Collection(nameof(Inference.Pipeline.PipelineMemoryTests))]
public sealed class SlpPartsMergerMemoryTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Merging_holds_one_part_whatever_the_number_of_parts()
    {
        // 500-frame parts of centered_pair_predictions.slp's frames (about 2 instances of 24 nodes a frame).
        var source = LabelsReader.Read(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"));
        var frames = source.LabeledFrames.Take(500).ToList();
        var parts = new List<string>();
        for (int p = 0; p < 40; p++)
        {
            var part = new Labels();
            part.Skeletons.AddRange(source.Skeletons);
            part.LabeledFrames.AddRange(frames.Select(f => new LabeledFrame(f.Video, f.FrameIndex + 500L * p, f.Instances)));
            part.CollectReferencedItems();
            string path = _dir.File($"part-{p + 1:D6}.slp");
            SlpWriter.Write(part, path);
            parts.Add(path);
        }

        long Growth(int partCount)
        {
            string merged = _dir.File($"merged-{partCount}.slp");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long start = GC.GetTotalMemory(forceFullCollection: true), peak = start;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(() =>
            {
                // The live heap, after a full collection: garbage between collections would hide what is held.
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(true));
                    Thread.Sleep(20);
                }
            });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var rows = SlpPartsMerger.Merge(parts.Take(partCount).ToList(), merged, source.Skeletons[0], source.Videos,
                new Dictionary<string, object?>(), dropEmptyFrames: false);
            watch.Stop();
            sampling.Cancel();
            sampler.Wait();
            Assert.Equal(500UL * (ulong)partCount, rows.Frame);
            output.WriteLine($"{partCount} parts ({rows.Frame} frames, {rows.PredictedPoint} points, {new FileInfo(merged).Length / 1024} KiB): " +
                             $"{watch.ElapsedMilliseconds} ms; managed heap {start / 1024} KiB at start, peak {peak / 1024} KiB");
            return peak - start;
        }

        Growth(2);   // warm-up
        long few = Growth(4), many = Growth(40);

        // What holding the 40 parts' frames takes, as a merge that read them all would.
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var held = parts.SelectMany(p => LabelsReader.Read(p).LabeledFrames).ToList();
        long holding = GC.GetTotalMemory(forceFullCollection: true) - before;
        output.WriteLine($"holding the {held.Count} frames: {holding / 1024} KiB");

        // The merge holds one part (a few MiB) and two chunks a table.
        Assert.True(many - few < holding / 4, $"40 parts grew the heap by {many / 1024} KiB, 4 parts by {few / 1024} KiB; holding them takes {holding / 1024} KiB");
    }
}
