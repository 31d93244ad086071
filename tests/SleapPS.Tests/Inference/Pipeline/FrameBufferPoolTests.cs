using SleapPS.Engine.Inference.Pipeline;

namespace SleapPS.Tests.Inference.Pipeline;

public class FrameBufferPoolTests
{
    [Fact]
    public void A_returned_buffer_is_rented_again()
    {
        var pool = new FrameBufferPool(maxRetained: 4);
        var first = pool.Rent(1000);
        pool.Return(first);
        Assert.Same(first, pool.Rent(1000));
        Assert.Equal(0, pool.RetainedCount);
    }

    [Fact]
    public void A_new_frame_size_drops_the_buffers_of_the_old_one()
    {
        var pool = new FrameBufferPool(maxRetained: 4);
        var small = pool.Rent(1000);
        pool.Return(small);
        var large = pool.Rent(2000);
        Assert.Equal(2000, large.Length);
        Assert.Equal(0, pool.RetainedCount);
        // A buffer of the old size coming back late (its batch was still being predicted) is not kept either.
        pool.Return(new byte[1000]);
        Assert.Equal(0, pool.RetainedCount);
        pool.Return(large);
        Assert.Same(large, pool.Rent(2000));
    }

    [Fact]
    public void At_most_MaxRetained_buffers_are_kept()
    {
        var pool = new FrameBufferPool(maxRetained: 2);
        var rented = Enumerable.Range(0, 3).Select(_ => pool.Rent(100)).ToList();
        foreach (var buffer in rented) pool.Return(buffer);
        Assert.Equal(2, pool.RetainedCount);
    }
}
