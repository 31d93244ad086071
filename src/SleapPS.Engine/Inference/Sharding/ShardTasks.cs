using System.Security.Cryptography;
using System.Text;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Pipeline;

namespace SleapPS.Engine.Inference.Sharding;

/// <summary>One piece of work of a shard: predict <see cref="Target"/>'s frames of a video into the part <see cref="PartPath"/>.</summary>
/// <param name="Video">The video.</param>
/// <param name="Target">The shard's frames of it (one contiguous range).</param>
/// <param name="OutputPath">The video's joined output (what a single machine would write).</param>
/// <param name="PartPath">This shard's part of it (<see cref="ShardPart.PathOf"/>).</param>
/// <param name="Part">What the part records of itself in its provenance (<see cref="ShardPart.ProvenanceKey"/>).</param>
public sealed record ShardTask(Video Video, PredictionTarget Target, string OutputPath, string PartPath, ShardPart Part);

/// <summary>What one shard of a run predicts (docs/design/sharding.md §2): its pieces of the run's plan, as targets and part files.</summary>
public static class ShardTasks
{
    /// <summary>The tasks of <paramref name="shard"/> over <paramref name="videos"/>, in plan order (by video path, then frame).</summary>
    /// <param name="shard">This shard.</param>
    /// <param name="videos">Every video of the run (every shard is given the same), each opened so that its frame count is known.</param>
    /// <param name="outputPathOf">The joined output of a video (e.g. <c>DIR/&lt;video&gt;.predictions.slp</c>).</param>
    /// <param name="runDescription">What identifies the run on every machine (models, settings): parts of runs that differ are never joined.</param>
    /// <exception cref="SleapException">InvalidArgument when a video's frame count is unknown, a video is named twice, or two videos share an output.</exception>
    public static IReadOnlyList<ShardTask> For(ShardSpec shard, IReadOnlyList<Video> videos, Func<Video, string> outputPathOf, string runDescription)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentNullException.ThrowIfNull(outputPathOf);
        ArgumentNullException.ThrowIfNull(runDescription);
        var byPath = new Dictionary<string, Video>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var video in videos)
        {
            string key = KeyOf(video);
            if (video.FrameCount is null)
                throw new SleapException(SleapErrorKind.InvalidArgument, $"The frame count of '{key}' is unknown, so it cannot be shared among shards: open the video first.", key);
            if (!byPath.TryAdd(key, video))
                throw new SleapException(SleapErrorKind.InvalidArgument, $"The video '{key}' is named twice: a sharded run predicts each video once.", key);
            string output = Path.GetFullPath(outputPathOf(video));
            if (outputs.TryGetValue(output, out string? other))
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"The videos '{other}' and '{key}' would both be written to '{output}' (their file names are the same): rename one, or run them separately.", key);
            outputs[output] = key;
        }

        var plan = ShardPlan.Create(byPath.Values.Select(v => new ShardVideo(KeyOf(v), v.FrameCount!.Value)), shard.Count);
        string run = RunId(runDescription, plan);
        var tasks = new List<ShardTask>();
        foreach (var piece in plan.PiecesOf(shard.Index))
        {
            var video = byPath[piece.Video];
            string output = Path.GetFullPath(outputPathOf(video));
            var part = new ShardPart(run, shard, piece.Video, video.FrameCount!.Value, plan.PiecesOfVideo(piece.Video).ToList());
            tasks.Add(new ShardTask(video, new PredictionTarget(video, new FrameRange(piece.First, piece.Last)), output, ShardPart.PathOf(output, shard), part));
        }
        return tasks;
    }

    /// <summary>The run's identity: a hash of what it predicts with and the plan (videos, frame counts, shard count).</summary>
    public static string RunId(string runDescription, ShardPlan plan)
    {
        var text = new StringBuilder(runDescription).Append('\n').Append(plan.Count);
        foreach (var video in plan.Videos) text.Append('\n').Append(video.Video).Append('\t').Append(video.FrameCount);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    private static string KeyOf(Video video) => video.ResolvedPath ?? video.Filename;
}
