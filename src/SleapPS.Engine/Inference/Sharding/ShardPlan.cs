namespace SleapPS.Engine.Inference.Sharding;

/// <summary>A video of a sharded run: its path and how many frames of it the run predicts.</summary>
/// <param name="Video">The video's path (the plan's sort key: the same on every machine of the run).</param>
/// <param name="FrameCount">How many frames of the video the run predicts (all of them, or the length of a -Frames list).</param>
public readonly record struct ShardVideo(string Video, long FrameCount);

/// <summary>
/// The frames one shard predicts of one video: positions <see cref="First"/> to <see cref="Last"/> (inclusive) of
/// the video's frames in the run (frame indices when the run predicts every frame).
/// </summary>
public readonly record struct ShardPiece(int Shard, string Video, long First, long Last)
{
    public long FrameCount => Last - First + 1;
}

/// <summary>
/// Which shard predicts which frames (docs/design/sharding.md §2): the videos, sorted by path (ordinal), are laid end
/// to end as one sequence of frames, cut into <see cref="Count"/> runs of consecutive frames whose lengths differ by
/// at most one. A shard thus predicts whole videos where it can and contiguous frame ranges of the (at most
/// <see cref="Count"/> - 1) videos a cut falls in; every frame belongs to exactly one shard, and the plan depends only on
/// the paths, frame counts and shard count, never on the order the videos were given or the machine.
/// </summary>
public sealed class ShardPlan
{
    private readonly List<ShardPiece> _pieces;

    private ShardPlan(int count, List<ShardVideo> videos, List<ShardPiece> pieces)
    {
        Count = count;
        Videos = videos;
        _pieces = pieces;
    }

    /// <summary>How many shards the run has.</summary>
    public int Count { get; }

    /// <summary>The run's videos in plan order (by path).</summary>
    public IReadOnlyList<ShardVideo> Videos { get; }

    /// <summary>Every piece, in plan order: by video, then by frame; shard numbers ascend along it.</summary>
    public IReadOnlyList<ShardPiece> Pieces => _pieces;

    /// <summary>The total number of frames.</summary>
    public long FrameCount => Videos.Sum(v => v.FrameCount);

    /// <summary>Plans <paramref name="count"/> shards over <paramref name="videos"/>.</summary>
    /// <exception cref="SleapException">InvalidArgument when a video is named twice or has a negative frame count.</exception>
    public static ShardPlan Create(IEnumerable<ShardVideo> videos, int count)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var sorted = videos.OrderBy(v => v.Video, StringComparer.Ordinal).ToList();
        for (int i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].FrameCount < 0)
                throw new SleapException(SleapErrorKind.InvalidArgument, $"The video '{sorted[i].Video}' has {sorted[i].FrameCount} frames: a shard plan needs each video's frame count.", sorted[i].Video);
            if (i > 0 && sorted[i].Video == sorted[i - 1].Video)
                throw new SleapException(SleapErrorKind.InvalidArgument, $"The video '{sorted[i].Video}' is named twice: a sharded run predicts each video once.", sorted[i].Video);
        }

        long total = sorted.Sum(v => v.FrameCount);
        var pieces = new List<ShardPiece>();
        long videoStart = 0;   // the position of the current video's first frame in the whole sequence
        foreach (var video in sorted)
        {
            long videoEnd = videoStart + video.FrameCount;   // exclusive
            for (long position = videoStart; position < videoEnd;)
            {
                int shard = ShardAt(position, total, count);
                long shardEnd = Math.Min(Start(shard + 1, total, count), videoEnd);
                pieces.Add(new ShardPiece(shard, video.Video, position - videoStart, shardEnd - 1 - videoStart));
                position = shardEnd;
            }
            videoStart = videoEnd;
        }
        return new ShardPlan(count, sorted, pieces);
    }

    /// <summary>The pieces shard <paramref name="shard"/> predicts, in plan order (none when there are fewer frames than shards).</summary>
    public IEnumerable<ShardPiece> PiecesOf(int shard) => _pieces.Where(p => p.Shard == shard);

    /// <summary>The pieces of one video, in frame order.</summary>
    public IEnumerable<ShardPiece> PiecesOfVideo(string video) => _pieces.Where(p => p.Video == video);

    /// <summary>The first position of shard <paramref name="shard"/>: floor(shard × total / count), so lengths differ by at most one.</summary>
    private static long Start(int shard, long total, int count) => (long)((Int128)shard * total / count);

    /// <summary>The shard whose run holds <paramref name="position"/>.</summary>
    private static int ShardAt(long position, long total, int count)
    {
        // The largest shard whose start is at or before the position: estimate, then step to it (one step at most).
        int shard = (int)Math.Min(count - 1, (long)((Int128)position * count / total));
        while (shard + 1 < count && Start(shard + 1, total, count) <= position) shard++;
        while (shard > 0 && Start(shard, total, count) > position) shard--;
        return shard;
    }
}
