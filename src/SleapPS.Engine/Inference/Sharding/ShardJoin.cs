using System.Globalization;
using PureHDF;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.Inference.Sharding;

/// <summary>What a join wrote.</summary>
/// <param name="OutputPath">The joined .slp.</param>
/// <param name="Video">The video its frames are of.</param>
/// <param name="ShardCount">How many shards the run had.</param>
/// <param name="PartCount">How many parts were joined (the shards that had frames of this video).</param>
/// <param name="FrameCount">Labelled frames written.</param>
/// <param name="InstanceCount">Instances written.</param>
/// <param name="Elapsed">How long the join took.</param>
public sealed record ShardJoinResult(string OutputPath, string Video, int ShardCount, int PartCount, long FrameCount, long InstanceCount, TimeSpan Elapsed);

/// <summary>
/// Joins the parts a sharded run wrote of one video into the .slp one machine would have written
/// (docs/design/sharding.md §4): the same frames, instances, points, scores, video and skeleton, in frame order, with
/// provenance that says it was joined. Refuses, before writing anything, parts of different runs, a set with a shard
/// missing, and frames outside their shard's piece; the output is written atomically and replaced only when asked.
/// </summary>
public static class ShardJoin
{
    /// <summary>Checks that <paramref name="set"/> is one run's complete set of parts, and returns what each part says of itself.</summary>
    /// <exception cref="SleapException">InvalidData for a part that is no shard's, parts of different runs or a shard missing.</exception>
    public static IReadOnlyList<ShardPart> Check(ShardPartSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var parts = set.PartPaths.Select(p => ReadPart(p)).ToList();
        if (parts.Count == 0)
            throw new SleapException(SleapErrorKind.NotFound, $"There are no parts of '{set.OutputPath}' to join.", set.OutputPath);
        var first = parts[0];
        for (int i = 1; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part.Run != first.Run || part.Video != first.Video || part.Shard.Count != first.Shard.Count)
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"The parts '{set.PartPaths[0]}' and '{set.PartPaths[i]}' come from different runs (other models, settings, videos or shard counts: " +
                    $"run {Short(first.Run)} on '{first.Video}' in {first.Shard.Count} shards, run {Short(part.Run)} on '{part.Video}' in {part.Shard.Count} shards). " +
                    "Join the parts of one run: delete the stale parts and run their shards again.", set.PartPaths[i]);
            if (part.Shard.Index == parts[i - 1].Shard.Index)
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"The parts '{set.PartPaths[i - 1]}' and '{set.PartPaths[i]}' are both shard {part.Shard} of '{first.Video}': keep one of them.", set.PartPaths[i]);
        }
        CheckPieces(first, set.PartPaths[0]);

        var present = parts.Select(p => p.Shard.Index).ToHashSet();
        var missing = first.Pieces.Where(p => !present.Contains(p.Shard)).ToList();
        if (missing.Count > 0)
        {
            string which = string.Join(", ", missing.Select(p => string.Create(CultureInfo.InvariantCulture,
                $"shard {p.Shard}/{first.Shard.Count} (frames {p.First}-{p.Last}, '{Path.GetFileName(ShardPart.PathOf(set.OutputPath, new ShardSpec(p.Shard, first.Shard.Count)))}')")));
            var unfinished = missing.Select(p => ShardPart.PathOf(set.OutputPath, new ShardSpec(p.Shard, first.Shard.Count)) + ".parts")
                .Where(Directory.Exists).ToList();
            string advice = unfinished.Count > 0
                ? $" {unfinished.Count} of them {(unfinished.Count == 1 ? "is" : "are")} unfinished (a parts folder is there, e.g. '{unfinished[0]}'): run {(unfinished.Count == 1 ? "that shard" : "those shards")} again to finish."
                : " Run those shards (again), then join.";
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot join '{set.OutputPath}': the parts of {which} of '{first.Video}' are missing.{advice}", set.OutputPath);
        }
        var extra = parts.FirstOrDefault(p => first.Pieces.All(piece => piece.Shard != p.Shard.Index));
        if (extra is not null)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The part '{set.PartPaths[parts.IndexOf(extra)]}' is shard {extra.Shard}, which the run's plan gives no frames of '{first.Video}': it is not of this run. Delete it.",
                set.PartPaths[parts.IndexOf(extra)]);
        return parts;
    }

    /// <summary>Joins a complete set of parts into <see cref="ShardPartSet.OutputPath"/> (or <paramref name="outputPath"/>).</summary>
    /// <param name="overwrite">Replace a file already at the output path.</param>
    /// <param name="outputPath">Where to write; the set's output path when null.</param>
    /// <exception cref="SleapException">
    /// InvalidData when the parts are no complete set of one run (<see cref="Check"/>) or a frame is not its shard's;
    /// WriteError when the output exists and <paramref name="overwrite"/> is false, or cannot be written.
    /// </exception>
    public static ShardJoinResult Join(ShardPartSet set, bool overwrite = false, string? outputPath = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        var started = DateTime.UtcNow;
        string output = Path.GetFullPath(outputPath ?? set.OutputPath);
        var parts = Check(set);
        if (!overwrite && File.Exists(output))
            throw new SleapException(SleapErrorKind.WriteError,
                $"The file '{output}' already exists. Use -Force to replace it, or join into another path.", output);

        // The first part gives the skeleton, the video and the provenance; every other part must fit them (SlpPartFrames).
        var firstLabels = LabelsReader.Read(set.PartPaths[0], new LabelsReadOptions { ReadVideoHeaders = false });
        if (firstLabels.Skeletons.Count == 0 || firstLabels.Videos.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The part '{set.PartPaths[0]}' has no skeleton or no video, so it is no prediction part: run its shard again.", set.PartPaths[0]);
        var video = firstLabels.Videos.FirstOrDefault(v => v.Filename == parts[0].Video) ?? firstLabels.Videos[0];
        var pieceOf = set.PartPaths.Select((path, i) => (path, parts[i].Piece)).ToDictionary(p => p.path, p => p.Piece, StringComparer.Ordinal);

        var rows = SlpPartsMerger.Merge(set.PartPaths, output, firstLabels.Skeletons[0], [video], JoinedProvenance(set, parts, output),
            dropEmptyFrames: false, inspect: (part, frame) =>
            {
                var piece = pieceOf[part];
                if (frame.FrameIndex < piece.First || frame.FrameIndex > piece.Last)
                    throw new SleapException(SleapErrorKind.InvalidData,
                        $"The part '{part}' holds frame {frame.FrameIndex}, outside shard {piece.Shard}'s frames {piece.First}-{piece.Last}: it is damaged or not of this run. Run that shard again.", part);
            });
        return new ShardJoinResult(output, parts[0].Video, parts[0].Shard.Count, parts.Count, (long)rows.Frame, (long)rows.Instance, DateTime.UtcNow - started);
    }

    /// <summary>The joined file's provenance: the first part's run provenance, without the shard entry, saying which parts it joined.</summary>
    private static Dictionary<string, object?> JoinedProvenance(ShardPartSet set, IReadOnlyList<ShardPart> parts, string output)
    {
        var all = set.PartPaths.Select(ReadProvenance).ToList();
        var provenance = new Dictionary<string, object?>(all[0]);
        provenance.Remove(ShardPart.ProvenanceKey);
        provenance["output_path"] = output;
        // The run started when its first shard did and finished with its last; elapsed is the shards' time added up.
        if (all.Select(p => p.GetValueOrDefault("start_timestamp") as string).Where(t => t is not null).Min(StringComparer.Ordinal) is { } start)
            provenance["start_timestamp"] = start;
        if (all.Select(p => p.GetValueOrDefault("finish_timestamp") as string).Where(t => t is not null).Max(StringComparer.Ordinal) is { } finish)
            provenance["finish_timestamp"] = finish;
        if (all.All(p => p.GetValueOrDefault("total_elapsed") is double or long))
            provenance["total_elapsed"] = all.Sum(p => Convert.ToDouble(p["total_elapsed"], CultureInfo.InvariantCulture));
        provenance[ShardPart.JoinedProvenanceKey] = new Dictionary<string, object?>
        {
            ["run"] = parts[0].Run,
            ["shard_count"] = (long)parts[0].Shard.Count,
            ["parts"] = set.PartPaths.Select(p => (object?)Path.GetFileName(p)).ToList(),
            ["shards"] = parts.Select(p => (object?)(long)p.Shard.Index).ToList(),
        };
        return provenance;
    }

    /// <summary>The pieces a part lists must cover its video's frames once each, in order.</summary>
    private static void CheckPieces(ShardPart part, string path)
    {
        long next = 0;
        foreach (var piece in part.Pieces)
        {
            if (piece.First != next || piece.Last < piece.First || piece.Shard < 0 || piece.Shard >= part.Shard.Count)
                throw Damaged(path);
            next = piece.Last + 1;
        }
        if (next != part.VideoFrameCount || part.Pieces.All(p => p.Shard != part.Shard.Index)) throw Damaged(path);

        static SleapException Damaged(string path) => new(SleapErrorKind.InvalidData,
            $"The part '{path}' lists a shard plan that does not cover its video's frames once each: it is damaged. Run its shard again.", path);
    }

    private static ShardPart ReadPart(string path) =>
        ShardPart.FromProvenance(ReadProvenance(path), path) ?? throw new SleapException(SleapErrorKind.InvalidData,
            $"'{path}' is not a shard's part: it has no '{ShardPart.ProvenanceKey}' provenance (Invoke-SleapPredict -Shard writes it). Join only the parts of a sharded run.", path);

    /// <summary>A .slp file's provenance, read from its metadata alone (not its tables).</summary>
    private static Dictionary<string, object?> ReadProvenance(string path)
    {
        string full = LabelsFileChecks.RequireFile(path);
        try
        {
            using var file = H5File.OpenRead(full);
            string json = file.Group("metadata").Attribute("json").Read<string>();
            return PythonJson.Parse(json) is System.Text.Json.Nodes.JsonObject metadata
                && JsonValues.ToPlain(metadata["provenance"]) is Dictionary<string, object?> provenance ? provenance : [];
        }
        catch (Exception ex) when (ex is not SleapException and not OutOfMemoryException)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The part '{full}' cannot be read ({ex.Message}): it is damaged or incomplete. Run its shard again.", full, ex);
        }
    }

    private static string Short(string run) => run.Length > 12 ? run[..12] : run;
}
