using System.Globalization;
using System.Text.RegularExpressions;

namespace SleapPS.Engine.Inference.Sharding;

/// <summary>
/// What a shard's part of one video says about itself, in its provenance under <see cref="ProvenanceKey"/>
/// (docs/design/sharding.md §3): the run it belongs to, its shard, the video and every piece of that video, so that
/// the join can tell a complete set of parts from an incomplete one, and parts of one run from another's.
/// </summary>
/// <param name="Run">The run's identity: a hash of the models, settings, videos with their frame counts and shard count.</param>
/// <param name="Shard">The shard that wrote this part.</param>
/// <param name="Video">The video's path, as the shard was given it.</param>
/// <param name="VideoFrameCount">How many frames of the video the whole run predicts.</param>
/// <param name="Pieces">Every piece of the video, by every shard, in frame order: this part's is the one of <see cref="Shard"/>.</param>
public sealed record ShardPart(string Run, ShardSpec Shard, string Video, long VideoFrameCount, IReadOnlyList<ShardPiece> Pieces)
{
    /// <summary>The provenance key of a shard's part.</summary>
    public const string ProvenanceKey = "sleapps_shard";

    /// <summary>The provenance key of a file joined from parts.</summary>
    public const string JoinedProvenanceKey = "sleapps_joined";

    private static readonly Regex PartName = new(@"^(?<output>.+)\.shard-(?<index>\d+)-of-(?<count>\d+)\.slp$", RegexOptions.CultureInvariant);

    /// <summary>This part's own piece.</summary>
    public ShardPiece Piece => Pieces.First(p => p.Shard == Shard.Index);

    /// <summary>
    /// The part file of <paramref name="shard"/> for an output: "<c>x.predictions.slp</c>" becomes
    /// "<c>x.predictions.shard-0002-of-0004.slp</c>" beside it (numbers of at least four digits, so names sort by shard).
    /// </summary>
    public static string PathOf(string outputPath, ShardSpec shard)
    {
        ArgumentNullException.ThrowIfNull(outputPath);
        string stem = outputPath.EndsWith(".slp", StringComparison.OrdinalIgnoreCase) ? outputPath[..^4] : outputPath;
        return string.Create(CultureInfo.InvariantCulture, $"{stem}.shard-{shard.Index:D4}-of-{shard.Count:D4}.slp");
    }

    /// <summary>The output a part file's name belongs to, and its shard; null when the name is not a part's.</summary>
    public static (string OutputPath, ShardSpec Shard)? ParsePath(string partPath)
    {
        ArgumentNullException.ThrowIfNull(partPath);
        var match = PartName.Match(Path.GetFileName(partPath));
        if (!match.Success
            || !int.TryParse(match.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(match.Groups["count"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || count < 1 || index >= count)
            return null;
        string folder = Path.GetDirectoryName(Path.GetFullPath(partPath))!;
        return (Path.Combine(folder, match.Groups["output"].Value + ".slp"), new ShardSpec(index, count));
    }

    /// <summary>The provenance entry of this part.</summary>
    public Dictionary<string, object?> ToProvenance() => new()
    {
        ["run"] = Run,
        ["shard"] = (long)Shard.Index,
        ["shard_count"] = (long)Shard.Count,
        ["video"] = Video,
        ["video_frame_count"] = VideoFrameCount,
        ["pieces"] = Pieces.Select(p => (object?)new Dictionary<string, object?>
        {
            ["shard"] = (long)p.Shard,
            ["first"] = p.First,
            ["last"] = p.Last,
        }).ToList(),
    };

    /// <summary>The part a file's provenance describes, or null when it is no shard's part.</summary>
    /// <exception cref="SleapException">InvalidData when the entry is there but damaged.</exception>
    public static ShardPart? FromProvenance(IReadOnlyDictionary<string, object?> provenance, string path)
    {
        if (provenance.GetValueOrDefault(ProvenanceKey) is not Dictionary<string, object?> entry) return null;
        try
        {
            var pieces = ((List<object?>)entry["pieces"]!).Cast<Dictionary<string, object?>>()
                .Select(p => new ShardPiece(Int(p["shard"]), (string)entry["video"]!, Long(p["first"]), Long(p["last"]))).ToList();
            return new ShardPart((string)entry["run"]!, new ShardSpec(Int(entry["shard"]), Int(entry["shard_count"])),
                (string)entry["video"]!, Long(entry["video_frame_count"]), pieces);
        }
        catch (Exception ex) when (ex is InvalidCastException or KeyNotFoundException or NullReferenceException or ArgumentException)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The part '{path}' has a damaged '{ProvenanceKey}' provenance entry, so it cannot be joined: run its shard again.", path, ex);
        }

        static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
        static int Int(object? value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }
}
