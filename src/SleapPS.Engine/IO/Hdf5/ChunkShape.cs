namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Chunk shapes chosen the way h5py chooses them when it is not told (its <c>guess_chunk</c>): a
/// target size between 8 KiB and 1 MiB that grows with the dataset, reached by halving the axes in
/// turn. Using the same rule makes our datasets chunked like SLEAP's and keeps chunks small enough
/// to read a slice of a large array without inflating all of it.
/// </summary>
internal static class ChunkShape
{
    private const double BaseBytes = 16 * 1024;
    private const double MinBytes = 8 * 1024;
    private const double MaxBytes = 1024 * 1024;

    /// <param name="shape">The dataset's shape; every axis must be at least 1.</param>
    /// <param name="elementSize">Bytes per element.</param>
    public static uint[] Guess(IReadOnlyList<ulong> shape, int elementSize)
    {
        var chunks = shape.Select(d => (double)d).ToArray();
        double datasetBytes = chunks.Aggregate(1.0, (a, b) => a * b) * elementSize;
        double target = Math.Clamp(BaseBytes * Math.Pow(2, Math.Log10(datasetBytes / MaxBytes)), MinBytes, MaxBytes);

        for (int axis = 0; ; axis = (axis + 1) % chunks.Length)
        {
            double elements = chunks.Aggregate(1.0, (a, b) => a * b);
            double chunkBytes = elements * elementSize;
            bool closeEnough = chunkBytes < target || Math.Abs(chunkBytes - target) / target < 0.5;
            if ((closeEnough && chunkBytes < MaxBytes) || elements == 1)
                break;
            chunks[axis] = Math.Ceiling(chunks[axis] / 2.0);
        }
        return chunks.Select(c => (uint)c).ToArray();
    }
}
