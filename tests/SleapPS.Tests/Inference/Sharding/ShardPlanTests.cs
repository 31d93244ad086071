using SleapPS.Engine;
using SleapPS.Engine.Inference.Sharding;

namespace SleapPS.Tests.Inference.Sharding;

/// <summary>The plan that gives each shard its videos and frame ranges: cover, disjoint, balanced, deterministic.</summary>
public sealed class ShardPlanTests
{
    /// <summary>Video sets of different shapes: equal, one long and many short, empty videos, fewer frames than shards.</summary>
    public static TheoryData<long[], int> Cases => new()
    {
        { [100, 100, 100, 100], 4 },
        { [100, 100, 100, 100], 3 },
        { [1100, 3, 250, 7, 0, 64], 4 },
        { [100_000, 17, 17], 7 },
        { [5], 8 },
        { [0, 0], 2 },
        { [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1 },
        { [999, 1000, 1001], 64 },
    };

    private static List<ShardVideo> Videos(long[] counts) =>
        counts.Select((n, i) => new ShardVideo($"/data/v{i:D2}.mp4", n)).ToList();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_frame_is_done_by_exactly_one_shard(long[] counts, int shards)
    {
        var plan = ShardPlan.Create(Videos(counts), shards);
        foreach (var video in Videos(counts))
        {
            var pieces = plan.PiecesOfVideo(video.Video).ToList();
            long next = 0;
            foreach (var piece in pieces)
            {
                Assert.Equal(next, piece.First);            // no gap, no overlap
                Assert.True(piece.Last >= piece.First);
                Assert.InRange(piece.Shard, 0, shards - 1);
                next = piece.Last + 1;
            }
            Assert.Equal(video.FrameCount, next);           // to the last frame
        }
        Assert.Equal(counts.Sum(), plan.Pieces.Sum(p => p.FrameCount));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Shards_differ_by_at_most_one_frame_and_split_at_most_one_video_per_cut(long[] counts, int shards)
    {
        var plan = ShardPlan.Create(Videos(counts), shards);
        var loads = Enumerable.Range(0, shards).Select(s => plan.PiecesOf(s).Sum(p => p.FrameCount)).ToList();
        Assert.True(loads.Max() - loads.Min() <= 1, string.Join(", ", loads));
        int splitVideos = plan.Pieces.GroupBy(p => p.Video).Count(g => g.Count() > 1);
        Assert.True(splitVideos <= shards - 1, $"{splitVideos} videos split among {shards} shards");
        // Shard numbers ascend along the plan: a video's pieces join in shard order.
        Assert.Equal(plan.Pieces.Select(p => p.Shard).Order(), plan.Pieces.Select(p => p.Shard));
    }

    [Fact]
    public void The_plan_depends_on_the_paths_not_on_the_order_they_came_in()
    {
        var videos = Videos([1100, 3, 250, 7, 0, 64]);
        var plan = ShardPlan.Create(videos, 4);
        var shuffled = videos.OrderBy(v => v.Video.GetHashCode() ^ 0x5bd1e995).Reverse().ToList();
        Assert.NotEqual(videos, shuffled);
        Assert.Equal(plan.Pieces, ShardPlan.Create(shuffled, 4).Pieces);
        Assert.Equal(videos.Select(v => v.Video).Order(StringComparer.Ordinal), plan.Videos.Select(v => v.Video));
    }

    [Fact]
    public void Equal_videos_among_as_many_shards_go_whole_one_to_a_shard()
    {
        var plan = ShardPlan.Create(Videos([100, 100, 100, 100]), 4);
        Assert.Equal(
            [new(0, "/data/v00.mp4", 0, 99), new(1, "/data/v01.mp4", 0, 99), new(2, "/data/v02.mp4", 0, 99), new ShardPiece(3, "/data/v03.mp4", 0, 99)],
            plan.Pieces);
    }

    [Fact]
    public void A_long_video_is_cut_into_contiguous_ranges()
    {
        var plan = ShardPlan.Create([new ShardVideo("/b/long.mp4", 1000), new ShardVideo("/a/short.mp4", 200)], 3);
        // 1200 frames: 400 a shard; /a/short.mp4 sorts first.
        Assert.Equal(
            [new(0, "/a/short.mp4", 0, 199), new(0, "/b/long.mp4", 0, 199), new(1, "/b/long.mp4", 200, 599), new ShardPiece(2, "/b/long.mp4", 600, 999)],
            plan.Pieces);
    }

    [Fact]
    public void More_shards_than_frames_leaves_some_shards_without_work()
    {
        var plan = ShardPlan.Create([new ShardVideo("/v.mp4", 2)], 4);
        Assert.Equal([new(1, "/v.mp4", 0, 0), new ShardPiece(3, "/v.mp4", 1, 1)], plan.Pieces);
        Assert.Empty(plan.PiecesOf(0));
    }

    [Fact]
    public void A_video_named_twice_or_without_a_frame_count_is_refused()
    {
        var error = Assert.Throws<SleapException>(() => ShardPlan.Create([new ShardVideo("/v.mp4", 2), new ShardVideo("/v.mp4", 2)], 2));
        Assert.Equal("The video '/v.mp4' is named twice: a sharded run predicts each video once.", error.Message);
        error = Assert.Throws<SleapException>(() => ShardPlan.Create([new ShardVideo("/v.mp4", -1)], 2));
        Assert.Equal("The video '/v.mp4' has -1 frames: a shard plan needs each video's frame count.", error.Message);
    }

    [Fact]
    public void Part_names_carry_the_shard_and_lead_back_to_the_output()
    {
        string part = ShardPart.PathOf("/out/a.mp4.predictions.slp", new ShardSpec(3, 4));
        Assert.Equal("/out/a.mp4.predictions.shard-0003-of-0004.slp", part);
        Assert.Equal(("/out/a.mp4.predictions.slp", new ShardSpec(3, 4)), ShardPart.ParsePath(part));
        Assert.Equal("/out/b.predictions.shard-0012-of-12345.slp", ShardPart.PathOf("/out/b.predictions.slp", new ShardSpec(12, 12345)));
        Assert.Null(ShardPart.ParsePath("/out/a.mp4.predictions.shard-0004-of-0004.slp"));
        Assert.Null(ShardPart.ParsePath("/out/a.mp4.predictions.slp"));
    }
}
