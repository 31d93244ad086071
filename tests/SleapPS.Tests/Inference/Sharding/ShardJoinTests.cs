using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Sharding;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.Sharding;

/// <summary>
/// Joining the parts shards wrote of one video: the file one machine writes, and clear refusals (other runs, a
/// missing shard, a frame outside its shard, an existing output) that leave nothing written.
/// </summary>
public sealed class ShardJoinTests : IDisposable
{
    private static readonly Dictionary<string, object?> RunProvenance = new() { ["predictor"] = "TopDownPredictor", ["sleapps_version"] = "test" };

    // The datasets (not the metadata attribute, whose provenance differs) as h5py sees them: type, shape and bytes.
    private const string TablesDigest = """
        import hashlib
        out = {}
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = {"dtype": str(obj.dtype.descr), "shape": list(obj.shape), "sha256": hashlib.sha256(obj[()].tobytes()).hexdigest()}
        f.visititems(visit)
        print(json.dumps(out, sort_keys=True))
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>centered_pair_predictions.slp (1100 frames, 0 to 1099) without its tracks, as a prediction run writes it.</summary>
    private static Labels Predictions()
    {
        var labels = LabelsReader.Read(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"), new LabelsReadOptions { ReadVideoHeaders = false });
        labels.Tracks.Clear();
        labels.Suggestions.Clear();
        labels.Provenance.Clear();
        foreach (var frame in labels.LabeledFrames)
            foreach (var instance in frame.Instances.OfType<PredictedInstance>()) instance.Track = null;
        labels.CollectReferencedItems();
        return labels;
    }

    private string Output => _dir.File("centered_pair.predictions.slp");

    /// <summary>Writes each shard's part of the labels' video as the shards of a run would; returns the parts by shard.</summary>
    private Dictionary<int, string> WriteParts(Labels labels, int shards, string run = "run-a", string? video = null)
    {
        string key = video ?? labels.Videos[0].Filename;
        var plan = ShardPlan.Create([new ShardVideo(key, 1100)], shards);
        var parts = new Dictionary<int, string>();
        foreach (var piece in plan.Pieces)
        {
            var spec = new ShardSpec(piece.Shard, shards);
            var part = new Labels();
            part.Skeletons.AddRange(labels.Skeletons);
            part.Videos.AddRange(labels.Videos);
            part.LabeledFrames.AddRange(labels.LabeledFrames.Where(f => f.FrameIndex >= piece.First && f.FrameIndex <= piece.Last));
            foreach (var (k, v) in RunProvenance) part.Provenance[k] = v;
            part.Provenance["start_timestamp"] = $"2026-12-06 10:0{piece.Shard}:00.000000";
            part.Provenance["finish_timestamp"] = $"2026-12-06 11:0{piece.Shard}:00.000000";
            part.Provenance["total_elapsed"] = 10.0;
            part.Provenance[ShardPart.ProvenanceKey] = new ShardPart(run, spec, key, 1100, plan.PiecesOfVideo(key).ToList()).ToProvenance();
            part.CollectReferencedItems();
            string path = ShardPart.PathOf(Output, spec);
            SlpWriter.Write(part, path);
            parts[piece.Shard] = path;
        }
        return parts;
    }

    [Fact]
    public void Joined_parts_hold_exactly_what_one_machine_writes_and_say_they_were_joined()
    {
        var labels = Predictions();
        var parts = WriteParts(labels, 4);
        string whole = _dir.File("whole.slp");
        foreach (var (k, v) in RunProvenance) labels.Provenance[k] = v;
        SlpWriter.Write(labels, whole);

        var sets = ShardPartSet.InFolder(_dir.FullName);
        var set = Assert.Single(sets);
        Assert.Equal(Output, set.OutputPath);
        Assert.Equal(parts.OrderBy(p => p.Key).Select(p => p.Value), set.PartPaths);
        var result = ShardJoin.Join(set);

        Assert.Equal((Output, 4, 4, 1100L, 2274L), (result.OutputPath, result.ShardCount, result.PartCount, result.FrameCount, result.InstanceCount));
        Assert.Equal(H5py.Text(H5py.Evaluate(whole, TablesDigest)), H5py.Text(H5py.Evaluate(Output, TablesDigest)));
        var joined = LabelsReader.Read(Output, new LabelsReadOptions { ReadVideoHeaders = false });
        Assert.Equal(labels.Videos.Select(v => v.Filename), joined.Videos.Select(v => v.Filename));
        Assert.Equal(labels.Skeletons[0].Nodes.Select(n => n.Name), Assert.Single(joined.Skeletons).Nodes.Select(n => n.Name));
        Assert.Equal("TopDownPredictor", joined.Provenance["predictor"]);
        Assert.False(joined.Provenance.ContainsKey(ShardPart.ProvenanceKey));
        var info = Assert.IsType<Dictionary<string, object?>>(joined.Provenance[ShardPart.JoinedProvenanceKey]);
        Assert.Equal(4L, info["shard_count"]);
        Assert.Equal(parts.OrderBy(p => p.Key).Select(p => (object?)Path.GetFileName(p.Value)), Assert.IsType<List<object?>>(info["parts"]));
        Assert.Equal("2026-12-06 10:00:00.000000", joined.Provenance["start_timestamp"]);
        Assert.Equal("2026-12-06 11:03:00.000000", joined.Provenance["finish_timestamp"]);
        Assert.Equal(40.0, Convert.ToDouble(joined.Provenance["total_elapsed"]));

        var js = SleapIoJs.LoadSlp(Output);
        Assert.Equal(1100, (int)js["counts"]!["labeled_frames"]!);
        Assert.Equal(2274, (int)js["counts"]!["predicted_instances"]!);
    }

    [Fact]
    public void A_missing_shard_is_named_with_its_frames_and_nothing_is_written()
    {
        var parts = WriteParts(Predictions(), 4);
        File.Delete(parts[2]);
        Directory.CreateDirectory(parts[2] + ".parts");   // an unfinished shard

        var error = Assert.Throws<SleapException>(() => ShardJoin.Join(Assert.Single(ShardPartSet.InFolder(_dir.FullName))));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot join '{Output}': the parts of shard 2/4 (frames 550-824, 'centered_pair.predictions.shard-0002-of-0004.slp') of " +
            $"'{Predictions().Videos[0].Filename}' are missing. 1 of them is unfinished (a parts folder is there, e.g. '{parts[2]}.parts'): run that shard again to finish.", error.Message);
        Assert.False(File.Exists(Output));

        Directory.Delete(parts[2] + ".parts");
        File.Delete(parts[3]);
        error = Assert.Throws<SleapException>(() => ShardJoin.Join(Assert.Single(ShardPartSet.InFolder(_dir.FullName))));
        Assert.EndsWith("(frames 550-824, 'centered_pair.predictions.shard-0002-of-0004.slp'), shard 3/4 (frames 825-1099, " +
            $"'centered_pair.predictions.shard-0003-of-0004.slp') of '{Predictions().Videos[0].Filename}' are missing. Run those shards (again), then join.", error.Message);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Parts_of_different_runs_are_not_joined()
    {
        var labels = Predictions();
        // Shard 1's part is left from another run (other models or settings) in the same folder.
        var other = WriteParts(labels, 4, run: "fedcba9876543210-run-b");
        string kept = _dir.File("other-run.slp");
        File.Move(other[1], kept);
        var parts = WriteParts(labels, 4, run: "0123456789abcdef-run-a");
        string stale = parts[1];
        File.Move(kept, stale, overwrite: true);

        var error = Assert.Throws<SleapException>(() => ShardJoin.Join(Assert.Single(ShardPartSet.InFolder(_dir.FullName))));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"The parts '{parts[0]}' and '{stale}' come from different runs (other models, settings, videos or shard counts: " +
            $"run 0123456789ab on '{labels.Videos[0].Filename}' in 4 shards, run fedcba987654 on '{labels.Videos[0].Filename}' in 4 shards). " +
            "Join the parts of one run: delete the stale parts and run their shards again.", error.Message);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Parts_of_different_shard_counts_or_videos_are_not_joined()
    {
        var labels = Predictions();
        var four = WriteParts(labels, 4);
        var two = WriteParts(labels, 2);
        var set = new ShardPartSet(Output, [four[0], two[1]]);
        var error = Assert.Throws<SleapException>(() => ShardJoin.Join(set));
        Assert.Contains("come from different runs", error.Message);
        Assert.Contains("in 4 shards, run run-a on", error.Message);
        Assert.Contains("in 2 shards)", error.Message);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void A_frame_outside_its_shard_is_refused_and_nothing_is_written()
    {
        var labels = Predictions();
        var parts = WriteParts(labels, 2);
        // Shard 1's part claims frames 550-1099 but holds frame 3 as well.
        var part = LabelsReader.Read(parts[1], new LabelsReadOptions { ReadVideoHeaders = false });
        part.LabeledFrames.Insert(0, new LabeledFrame(part.Videos[0], 3, labels.LabeledFrames[3].Instances));
        SlpWriter.Write(part, parts[1]);

        var error = Assert.Throws<SleapException>(() => ShardJoin.Join(Assert.Single(ShardPartSet.InFolder(_dir.FullName))));
        Assert.Equal($"The part '{parts[1]}' holds frame 3, outside shard 1's frames 550-1099: it is damaged or not of this run. Run that shard again.", error.Message);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void An_existing_output_is_replaced_only_when_asked()
    {
        WriteParts(Predictions(), 3);
        File.WriteAllText(Output, "earlier");
        var set = Assert.Single(ShardPartSet.InFolder(_dir.FullName));

        var error = Assert.Throws<SleapException>(() => ShardJoin.Join(set));
        Assert.Equal(SleapErrorKind.WriteError, error.Kind);
        Assert.Equal($"The file '{Output}' already exists. Use -Force to replace it, or join into another path.", error.Message);
        Assert.Equal("earlier", File.ReadAllText(Output));

        ShardJoin.Join(set, overwrite: true);
        Assert.Equal(1100, LabelsReader.Read(Output, new LabelsReadOptions { ReadVideoHeaders = false }).LabeledFrames.Count);
    }

    [Fact]
    public void A_file_that_is_no_part_is_refused()
    {
        string plain = _dir.File("x.predictions.shard-0000-of-0001.slp");
        File.Copy(Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp"), plain);
        var error = Assert.Throws<SleapException>(() => ShardJoin.Join(Assert.Single(ShardPartSet.Group([plain]))));
        Assert.Equal($"'{plain}' is not a shard's part: it has no 'sleapps_shard' provenance (Invoke-SleapPredict -Shard writes it). Join only the parts of a sharded run.", error.Message);

        error = Assert.Throws<SleapException>(() => ShardPartSet.Group([_dir.File("x.slp")]));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal($"'{_dir.File("x.slp")}' is not a shard's part: its name does not end in '.shard-<i>-of-<n>.slp' (Invoke-SleapPredict -Shard names its parts so).", error.Message);
    }
}
