using SleapPS.Engine;
using SleapPS.Engine.Frames;

namespace SleapPS.Tests.Frames;

public class FrameListTests
{
    private static string Refusal(string text, string piece) =>
        $"The frame list '{text}' cannot be read at '{piece}'. Write frame numbers (from 0) and inclusive ranges separated by commas, for example '0-99,200,300-310' or '0..99'.";

    [Fact]
    public void Ranges_are_inclusive_keep_their_order_and_drop_repeats()
    {
        Assert.Equal([5, 6, 7, 0, 1, 9], FrameList.Parse("5-7, 0-1,6, 9").Expand());
        Assert.Equal([0, 1, 2, 200, 300, 301], FrameList.Parse("0-2,200,300-301").Expand());
        Assert.Equal([3L, 1, 2], FrameList.Parse("3,1-3").Expand());
    }

    [Fact]
    public void Both_range_syntaxes_read_the_same_and_mix()
    {
        Assert.Equal(FrameList.Parse("0-99").Expand(), FrameList.Parse("0..99").Expand());
        Assert.Equal([0L, 1, 2, 3, 4, 10, 7, 8], FrameList.Parse("0-4, 10,7..8").Expand());
        Assert.Equal([4L, 5, 6], FrameList.Parse(" 4 .. 6 ").Expand());
        Assert.Equal([4L, 5, 6], FrameList.Parse(" 4 - 6 ").Expand());
        Assert.Equal([7L, 7], [FrameList.Parse("7..7").Expand()[0], FrameList.Parse("7-7").Expand()[0]]);
    }

    [Fact]
    public void Pieces_from_a_cmdlet_read_as_one_list()
    {
        // What PowerShell binds to a string[] -Frames: 0..3 becomes "0","1","2","3"; '0-1','5..6' stays text.
        Assert.Equal([0L, 1, 2, 3], FrameList.Parse(["0", "1", "2", "3"]).Expand());
        Assert.Equal([0L, 1, 5, 6, 9], FrameList.Parse(["0-1", "5..6", "9"]).Expand());
        Assert.Equal(Refusal("0-1,x", "x"), Assert.Throws<SleapException>(() => FrameList.Parse(["0-1", "x"])).Message);
    }

    [Fact]
    public void Format_reads_back()
    {
        long[] frames = [0, 1, 2, 3, 10, 12, 13, 5];
        Assert.Equal("0-3,10,12-13,5", FrameList.Format(frames));
        Assert.Equal(frames, FrameList.Parse(FrameList.Format(frames)).Expand());
    }

    [Theory]
    [InlineData("1-x", "1-x")]
    [InlineData("x..1", "x..1")]
    [InlineData("-3", "-3")]
    [InlineData("9-2", "9-2")]
    [InlineData("9..2", "9..2")]
    [InlineData("1-2-3", "1-2-3")]
    [InlineData("1..2..3", "1..2..3")]
    [InlineData("1...3", "1...3")]
    [InlineData("5-", "5-")]
    [InlineData("..5", "..5")]
    [InlineData("0-4,,6", "")]
    [InlineData(" , ", "")]
    [InlineData("", "")]
    [InlineData("1.5", "1.5")]
    [InlineData("0-99999999999999999999", "0-99999999999999999999")]
    public void Bad_lists_get_one_message_naming_the_piece(string text, string piece)
    {
        var error = Assert.Throws<SleapException>(() => FrameList.Parse(text));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(Refusal(text, piece), error.Message);
    }

    [Fact]
    public void Negative_frames_given_as_numbers_get_the_same_message()
    {
        var error = Assert.Throws<SleapException>(() => FrameList.Of([3, -1]));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(Refusal("3,-1", "-1"), error.Message);
    }

    [Fact]
    public void Resolve_checks_every_frame_against_the_video_before_listing_any()
    {
        Assert.Equal([5L, 2], FrameList.Of([5, 2, 5]).Resolve(20, "v"));
        Assert.Equal([0L, 1, 2, 3, 4, 10, 7, 8], FrameList.Parse("0-4, 10,7..8").Resolve(20, "v"));
        // A huge range is refused against the video's length before any frame is listed.
        Assert.Equal("Frame 99999999999 is out of range for the video 'v', which has 20 frames (0 to 19).",
            Assert.Throws<SleapException>(() => FrameList.Parse("0..99999999999").Resolve(20, "v")).Message);
    }
}
