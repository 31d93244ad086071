using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// The centroids of a batch, grouped by frame in frame order (SLEAP's ragged <c>centroids</c> / <c>centroid_vals</c>),
/// float32 as SLEAP computes them. Coordinates are where the crops are cut: frame pixels, times the pre-crop
/// resize factor when there is one (docs/design/inference.md §9.2). Reused from batch to batch.
/// </summary>
internal sealed class CentroidList
{
    private int[] _frameStart = [];
    private int[] _frameCount = [];
    private float[] _x = [];
    private float[] _y = [];
    private float[] _value = [];
    private int[] _frame = [];
    private int[] _order = [];
    private float[] _kept = [];

    public int Count { get; private set; }

    public int FrameCount { get; private set; }

    public void Reset(int frames)
    {
        Growable.Ensure(ref _frameStart, frames);
        Growable.Ensure(ref _frameCount, frames);
        Array.Clear(_frameCount, 0, frames);
        FrameCount = frames;
        Count = 0;
    }

    /// <summary>Appends a centroid; frames must be added in order (all of frame f before any of frame f + 1).</summary>
    public void Add(int frame, float x, float y, float value)
    {
        if (_frameCount[frame] == 0)
            _frameStart[frame] = Count;
        Growable.EnsureKeep(ref _x, Count + 1);
        Growable.EnsureKeep(ref _y, Count + 1);
        Growable.EnsureKeep(ref _value, Count + 1);
        Growable.EnsureKeep(ref _frame, Count + 1);
        _frame[Count] = frame;
        _x[Count] = x;
        _y[Count] = y;
        _value[Count] = value;
        _frameCount[frame]++;
        Count++;
    }

    public int StartOf(int frame) => _frameCount[frame] == 0 ? Count : _frameStart[frame];

    public int CountOf(int frame) => _frameCount[frame];

    /// <summary>The largest number of centroids of one frame (the row count SLEAP pads a batch's ragged arrays to).</summary>
    public int MaxPerFrame
    {
        get
        {
            int max = 0;
            for (int f = 0; f < FrameCount; f++)
                max = Math.Max(max, _frameCount[f]);
            return max;
        }
    }

    /// <summary>The frame (index in the batch) of centroid <paramref name="index"/>.</summary>
    public int Frame(int index) => _frame[index];

    /// <summary>The frame of every centroid, in order (SLEAP's crop_sample_inds).</summary>
    public ReadOnlySpan<int> Frames => _frame.AsSpan(0, Count);

    public float X(int index) => _x[index];

    public float Y(int index) => _y[index];

    public float Value(int index) => _value[index];

    /// <summary>Centroids start..start+count-1 as the raw output's (n, 2) coordinates and (n) values.</summary>
    public (float[,] Centroids, float[] Values) Copy(int start, int count)
    {
        var centroids = new float[count, 2];
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            centroids[i, 0] = _x[start + i];
            centroids[i, 1] = _y[start + i];
            values[i] = _value[start + i];
        }
        return (centroids, values);
    }

    /// <summary>Multiplies every centroid by the pre-crop resize factor (SLEAP: <c>centroid_points *= precrop_resize</c>, float32).</summary>
    public void Scale(float factor)
    {
        for (int i = 0; i < Count; i++)
        {
            _x[i] *= factor;
            _y[i] *= factor;
        }
    }

    /// <summary>
    /// SLEAP's <c>max_instances</c> (docs/design/inference.md §9.1 step 5): a frame with more than <paramref name="maxInstances"/>
    /// centroids keeps the top k by value (tf.math.top_k: sorted by descending value, ties to the lower index); a frame
    /// with k or fewer keeps its scan order.
    /// </summary>
    public void KeepTop(int maxInstances)
    {
        for (int f = 0; f < FrameCount; f++)
        {
            int start = StartOf(f), count = _frameCount[f];
            if (count <= maxInstances)
                continue;
            var order = Growable.Ensure(ref _order, count);
            for (int i = 0; i < count; i++)
                order[i] = i;
            // Insertion sort: stable, so equal values keep the lower index first, as top_k does.
            for (int i = 1; i < count; i++)
            {
                int item = order[i];
                float v = _value[start + item];
                int j = i - 1;
                while (j >= 0 && _value[start + order[j]] < v)
                {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = item;
            }
            var kept = Growable.Ensure(ref _kept, 3 * maxInstances);
            for (int i = 0; i < maxInstances; i++)
            {
                int src = start + order[i];
                kept[3 * i] = _x[src];
                kept[3 * i + 1] = _y[src];
                kept[3 * i + 2] = _value[src];
            }
            for (int i = 0; i < maxInstances; i++)
            {
                _x[start + i] = kept[3 * i];
                _y[start + i] = kept[3 * i + 1];
                _value[start + i] = kept[3 * i + 2];
            }
            // Close the gap the dropped centroids leave, so later frames stay contiguous.
            int drop = count - maxInstances;
            int tail = Count - (start + count);
            Array.Copy(_x, start + count, _x, start + maxInstances, tail);
            Array.Copy(_y, start + count, _y, start + maxInstances, tail);
            Array.Copy(_value, start + count, _value, start + maxInstances, tail);
            Array.Copy(_frame, start + count, _frame, start + maxInstances, tail);
            for (int g = f + 1; g < FrameCount; g++)
                _frameStart[g] -= drop;
            _frameCount[f] = maxInstances;
            Count -= drop;
        }
    }
}
