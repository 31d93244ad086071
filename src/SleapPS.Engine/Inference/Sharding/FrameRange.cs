using System.Collections;

namespace SleapPS.Engine.Inference.Sharding;

/// <summary>The frames <see cref="First"/> to <see cref="Last"/> as a list, without holding them (a shard's range of a long video).</summary>
public sealed class FrameRange : IReadOnlyList<long>
{
    public FrameRange(long first, long last)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        First = first;
        Last = last;
    }

    public long First { get; }

    public long Last { get; }

    public int Count => checked((int)(Last - First + 1));

    public long this[int index] => (uint)index < (uint)Count ? First + index : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<long> GetEnumerator()
    {
        for (long frame = First; frame <= Last; frame++) yield return frame;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
