using SleapPS.Engine;
using SleapPS.Engine.Inference.Pipeline;

namespace SleapPS.Tests.Inference.Pipeline;

public class FrameRangesTests
{
    [Fact]
    public void Ranges_are_inclusive_keep_their_order_and_drop_repeats()
    {
        Assert.Equal([5, 6, 7, 0, 1, 9], FrameRanges.Parse("5-7, 0-1,6, 9"));
        Assert.Equal([0, 1, 2, 200, 300, 301], FrameRanges.Parse("0-2,200,300-301"));
    }

    [Fact]
    public void Format_reads_back()
    {
        long[] frames = [0, 1, 2, 3, 10, 12, 13, 5];
        Assert.Equal("0-3,10,12-13,5", FrameRanges.Format(frames));
        Assert.Equal(frames, FrameRanges.Parse(FrameRanges.Format(frames)));
    }

    [Theory]
    [InlineData("1-x", "'x' in the frame list '1-x' is not a frame number or a range.")]
    [InlineData("-3", "'-3' in the frame list '-3' is not a frame number or a range.")]
    [InlineData("9-2", "The frame range '9-2' in '9-2' ends before it starts.")]
    [InlineData(" , ", "' , ' names no frames.")]
    public void Bad_lists_say_which_piece_is_wrong(string text, string start)
    {
        var error = Assert.Throws<SleapException>(() => FrameRanges.Parse(text));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith(start, error.Message);
    }

    [Fact]
    public void Negative_indices_are_refused()
    {
        var error = Assert.Throws<SleapException>(() => FrameRanges.FromIndices([3, -1]));
        Assert.Equal("The frame -1 is negative; frames are numbered from 0.", error.Message);
    }
}
